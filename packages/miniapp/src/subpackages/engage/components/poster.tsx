import { useEffect, useState } from 'react';
import { Canvas, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { share } from '../../../platform/share';
import { drawPoster, POSTER_HEIGHT, POSTER_WIDTH } from './poster-drawing';

const CANVAS_ID = 'invite-poster';

/**
 * The invite poster: the member's nickname, the invitation and a QR code of the invite link, drawn
 * on a canvas; 保存海报 saves it to the album (weapp, asking for the permission) or downloads it (H5).
 */
export function Poster({ nickname, link }: { nickname: string; link: string }) {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    setDrawn(false);
    // The canvas must exist before it is drawn on: wait one frame after it mounts.
    const timer = setTimeout(() => {
      const ctx = Taro.createCanvasContext(CANVAS_ID);
      drawPoster(ctx, nickname, link);
      void ctx.draw(false, () => setDrawn(true));
    }, 50);
    return () => clearTimeout(timer);
  }, [nickname, link]);

  const save = async () => {
    try {
      const { tempFilePath } = await Taro.canvasToTempFilePath({ canvasId: CANVAS_ID, fileType: 'png' });
      const saved = await share.savePoster(tempFilePath);
      await Taro.showToast({ title: saved ? '海报已保存' : '未保存海报', icon: saved ? 'success' : 'none' });
    } catch {
      await Taro.showToast({ title: '海报生成失败，请重试', icon: 'none' });
    }
  };

  return (
    <View className='panel poster-panel'>
      <View className='panel-title'>邀请海报</View>
      <Canvas
        canvasId={CANVAS_ID}
        id={CANVAS_ID}
        className='poster-canvas'
        data-testid='poster-canvas'
        data-drawn={drawn ? 'true' : 'false'}
        style={{ width: `${POSTER_WIDTH}px`, height: `${POSTER_HEIGHT}px` }}
      />
      <Button block type='primary' disabled={!drawn} data-testid='save-poster' onClick={() => void save()}>
        {share.kind === 'wechat' ? '保存海报到相册' : '下载海报'}
      </Button>
    </View>
  );
}
