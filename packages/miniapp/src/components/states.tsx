import { View } from '@tarojs/components';
import { Button, Loading } from '@nutui/nutui-react-taro';
import { errorText } from '../services/error-text';

export function LoadingState({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state' data-testid='loading'>
      <Loading type='spinner'>{text}</Loading>
    </View>
  );
}

/** A load that failed, in words, with a retry (a reload: it never rejects). */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => Promise<void> }) {
  return (
    <View className='state' data-testid='error'>
      <View className='state-title'>加载失败</View>
      <View>{errorText(error)}</View>
      <View className='state-action'>
        <Button type='primary' size='small' onClick={() => void onRetry()}>
          重试
        </Button>
      </View>
    </View>
  );
}

/** Nothing to show yet, and what to do about it: `action` leads to a page that exists (mall, check-in, code). */
export function EmptyState({ title, hint, action }: { title: string; hint?: string; action?: { text: string; onClick: () => void } }) {
  return (
    <View className='state' data-testid='empty'>
      <View className='state-title'>{title}</View>
      {hint ? <View>{hint}</View> : null}
      {action ? (
        <View className='state-action'>
          <Button type='primary' size='small' data-testid='empty-action' onClick={action.onClick}>
            {action.text}
          </Button>
        </View>
      ) : null}
    </View>
  );
}
