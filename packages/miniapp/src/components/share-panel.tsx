import { useState } from 'react';
import { View, Text, Button as WxButton } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { ShareLink } from '@member/shared/api';
import { share } from '../platform/share';
import { errorText } from '../services/error-text';
import './share-panel.css';

/** Makes (or finds) the member's link to the page: called only when the member shares. */
export type MintLink = () => Promise<ShareLink>;

/**
 * The share action. On WeChat, a button that opens WeChat's share sheet: the link is made at that
 * tap (see `useSharePage`). On H5, 复制链接: the tap makes the link and copies it, with a toast; the
 * link itself shows only when copying failed, to be copied by hand. Nothing without `mint`.
 */
export function ShareAction({ mint, label = '复制链接' }: { mint: MintLink | null; label?: string }) {
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [uncopied, setUncopied] = useState(false);
  if (!mint) return null;
  if (share.kind === 'wechat')
    return (
      <WxButton className='share-button' openType='share' data-testid='share-wechat'>
        分享给微信好友
      </WxButton>
    );
  const copy = async () => {
    setBusy(true);
    try {
      const link = await mint();
      setUrl(share.linkTo(link.path));
      const ok = await share.copyLink(link.path);
      setUncopied(!ok);
      await Taro.showToast({ title: ok ? '链接已复制' : '复制失败，请手动复制', icon: ok ? 'success' : 'none' });
    } catch (e) {
      await Taro.showToast({ title: errorText(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className='share-action'>
      <Button type='primary' block loading={busy} data-testid='copy-link' data-link={url ?? ''} onClick={() => void copy()}>
        {label}
      </Button>
      {uncopied && url ? (
        <View className='share-link' data-testid='share-link'>
          <Text userSelect>{url}</Text>
        </View>
      ) : null}
    </View>
  );
}

/** The reward rules in one or two short lines, and in full behind 规则. */
export function ShareRules({ summary, rules }: { summary: string[]; rules: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <View className='share-rules-box'>
      <View className='share-summary' data-testid='share-summary'>
        {summary.map((line) => (
          <View key={line}>{line}</View>
        ))}
      </View>
      <Text className='link share-rules-toggle' data-testid='share-rules-toggle' onClick={() => setOpen(!open)}>
        {open ? '收起规则' : '规则'}
      </Text>
      {open ? (
        <View className='share-rules' data-testid='share-rules'>
          {rules.map((line) => (
            <View key={line} className='rule-line'>
              {line}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

/** Where a member shares a page: the share action, and the rules in short with the full rules a tap away. */
export function SharePanel({ mint, summary, rules }: { mint: MintLink | null; summary: string[]; rules: string[] }) {
  return (
    <View className='panel share-panel' data-testid='share-panel'>
      <View className='panel-title'>分享给好友</View>
      <ShareAction mint={mint} />
      <ShareRules summary={summary} rules={rules} />
    </View>
  );
}
