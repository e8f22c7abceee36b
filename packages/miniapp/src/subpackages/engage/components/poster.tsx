import { useEffect, useState } from 'react';
import { Canvas, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { PosterCode } from '../../../platform/index';
import { share } from '../../../platform/share';
import { api } from '../../../services/api';
import { errorText } from '../../../services/error-text';
import { drawPoster, POSTER_HEIGHT, POSTER_WIDTH } from './poster-drawing';

const CANVAS_ID = 'invite-poster';

/**
 * The invite poster: the member's nickname, the invitation and a code for the invite, drawn on a
 * canvas — on WeChat the member's mini-program code (from the BFF, which asks WeChat), on H5 a QR
 * code of the invite link; 保存海报 saves it to the album (weapp, asking for the permission) or
 * downloads it (H5). When the code cannot be had, the poster says why and offers a retry.
 */
export function Poster({ nickname, invitePath }: { nickname: string; invitePath: string }) {
  const [code, setCode] = useState<PosterCode | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    let live = true;
    setCode(null);
    setFailure(null);
    share.posterCode(invitePath, api.inviteQrcodeFile).then(
      (c) => live && setCode(c),
      (e: unknown) => live && setFailure(e ?? new Error('no code')),
    );
    return () => {
      live = false;
    };
  }, [invitePath, attempt]);

  useEffect(() => {
    setDrawn(false);
    if (!code) return;
    // The canvas must exist before it is drawn on: wait one frame after it mounts.
    const timer = setTimeout(() => {
      const ctx = Taro.createCanvasContext(CANVAS_ID);
      drawPoster(ctx, nickname, code);
      void ctx.draw(false, () => setDrawn(true));
    }, 50);
    return () => clearTimeout(timer);
  }, [nickname, code]);

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
      {failure ? (
        <View className='poster-failure' data-testid='poster-failure'>
          <View className='muted'>邀请码图片获取失败：{errorText(failure)}</View>
          <Button size='small' onClick={() => setAttempt((n) => n + 1)}>
            重试
          </Button>
        </View>
      ) : null}
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
