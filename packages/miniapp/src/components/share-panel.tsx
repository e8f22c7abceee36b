import { useState } from 'react';
import { View, Button as WxButton } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { PublicRules, ShareLink } from '@member/shared/api';
import { share } from '../platform/share';
import { shareRuleLines } from '../services/engagement-rules';
import './share-panel.css';

/**
 * Where a member shares: the share button (WeChat's share sheet on weapp, 复制链接 on H5) and the
 * share rules in full. Without a link (not a member yet) only the rules show.
 */
export function SharePanel({ rules, link, extraRules = [] }: { rules: PublicRules; link: ShareLink | null; extraRules?: string[] }) {
  const [copied, setCopied] = useState(false);
  const copy = async (path: string) => {
    const ok = await share.copyLink(path);
    setCopied(ok);
    if (ok) await Taro.showToast({ title: '链接已复制', icon: 'success' });
  };
  return (
    <View className='panel share-panel' data-testid='share-panel'>
      <View className='panel-title'>分享给好友</View>
      {link ? (
        share.kind === 'wechat' ? (
          <WxButton className='share-button' openType='share' data-testid='share-wechat'>
            分享给微信好友
          </WxButton>
        ) : (
          <Button type='primary' block data-testid='copy-link' onClick={() => void copy(link.path)}>
            {copied ? '已复制，再次复制' : '复制链接'}
          </Button>
        )
      ) : null}
      {link && share.kind === 'link' ? (
        <View className='share-link muted' data-testid='share-link'>
          {share.linkTo(link.path)}
        </View>
      ) : null}
      <View className='share-rules' data-testid='share-rules'>
        {[...extraRules, ...shareRuleLines(rules)].map((line) => (
          <View key={line} className='rule-line'>
            {line}
          </View>
        ))}
      </View>
    </View>
  );
}
