import { View, Text } from '@tarojs/components';
import './privacy-notice.css';

/** 《会员隐私保护指引》 in full: what is collected and why, how it is kept, and the member's rights. */
export const PRIVACY_NOTICE: { title: string; text: string }[] = [
  {
    title: '我们收集哪些信息',
    text: '昵称（必填，在会员卡上展示）；生日（选填，仅用于在生日月发放生日礼券）；手机号（选填，仅用于找回会员身份）。我们不会收集与会员服务无关的信息。',
  },
  {
    title: '使用会员服务时产生的信息',
    text: '到店消费的订单（门店、金额、优惠、积分）、积分与成长值记录、优惠券、签到、评价、积分商城兑换、分享与邀请记录。这些信息用于计算积分、等级和权益。',
  },
  {
    title: '我们如何保存',
    text: '手机号加密存储，查询时只使用不可逆的加密摘要；日志中不记录手机号和微信身份标识。手机号不会用于营销短信。',
  },
  {
    title: '您的权利',
    text: '您可以随时在会员中心查看、修改昵称和生日，导出全部个人数据，或删除个人数据。删除后，我们仅保留您微信身份和手机号的不可逆加密摘要（无法还原为原始信息），用途只有一个：新会员礼遇每人仅限一次，再次入会时不重复发放；积分和订单记录以匿名方式保留，用于账务核对。',
  },
  {
    title: '同意与撤回',
    text: '开通会员卡前需要您阅读并同意本指引；指引更新时会再次征求您的同意。',
  },
];

/** The notice as a bottom sheet, opened from its link; closes on 我知道了 or a tap outside. */
export function PrivacyNoticeSheet({ version, onClose }: { version: string; onClose: () => void }) {
  return (
    <View className='sheet-mask' onClick={onClose}>
      <View className='sheet' data-testid='privacy-notice' onClick={(e) => e.stopPropagation()}>
        <View className='notice-title'>会员隐私保护指引</View>
        <View className='notice-version'>版本 {version}</View>
        {PRIVACY_NOTICE.map((s) => (
          <View key={s.title} className='notice-section'>
            <Text className='notice-heading'>{s.title}</Text>
            <View className='notice-text'>{s.text}</View>
          </View>
        ))}
        <View className='notice-close' data-testid='privacy-notice-close' onClick={onClose}>
          我知道了
        </View>
      </View>
    </View>
  );
}
