import Taro from '@tarojs/taro';
import { useState } from 'react';
import { View, Text, Textarea } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { MemberOrder, Review } from '@member/shared/api';
import { REVIEW_COMMENT_MAX_CHARS, charCount, cleanText, commentProblem } from '@member/shared/text/text';
import type { ReviewTag } from '@member/shared/vocabulary';
import { api } from '../../../services/api';
import { yuan } from '../../../services/format';
import { REVIEW_TAGS, REVIEW_TAG_TEXT, labelOf } from '../../../services/labels';
import { useAction } from '../../../hooks/use-action';

const MAX_TAGS = 3;
const STAR_TEXT = ['', '很差', '较差', '一般', '满意', '非常满意'];

interface Props {
  order: MemberOrder;
  /** What a review earns (from /rules), shown before the member sends it. */
  reward: { points: number; growth: number };
  onDone: (review: Review) => void;
  onCancel: () => void;
}

/**
 * Rating a counter visit: 1–5 stars, up to three quick tags, an optional comment (cleaned and
 * counted with the shared text rules, as the BFF does), then one tap to send.
 */
export function ReviewSheet({ order, reward, onDone, onCancel }: Props) {
  const [stars, setStars] = useState(0);
  const [tags, setTags] = useState<ReviewTag[]>([]);
  const [comment, setComment] = useState('');
  const cleaned = cleanText(comment);
  const problem = commentProblem(cleaned);

  const submit = useAction(async () => {
    const review = await api.review(order.id, { stars, ...(tags.length ? { answers: tags } : {}), ...(cleaned ? { comment: cleaned } : {}) });
    void Taro.showToast({ title: review.points ? `评价成功 +${review.points} 积分` : '评价成功', icon: 'none' });
    onDone(review);
  });

  const toggle = (tag: ReviewTag) => setTags((now) => (now.includes(tag) ? now.filter((t) => t !== tag) : now.length < MAX_TAGS ? [...now, tag] : now));

  return (
    <View className='sheet-mask'>
      <View className='sheet' data-testid='review-sheet'>
        <View className='panel-title'>
          <Text>评价本次消费</Text>
          <Text className='muted'>
            {order.storeName} · {yuan(order.dueCents)}
          </Text>
        </View>
        <View className='stars'>
          {[1, 2, 3, 4, 5].map((n) => (
            <Text key={n} className={`star${n <= stars ? ' on' : ''}`} data-testid={`star-${n}`} onClick={() => setStars(n)}>
              ★
            </Text>
          ))}
          <Text className='muted star-text'>{STAR_TEXT[stars]}</Text>
        </View>
        <View className='muted'>最多选 {MAX_TAGS} 个标签</View>
        <View className='tags'>
          {REVIEW_TAGS.map((tag) => (
            <View
              key={tag}
              className={`tag${tags.includes(tag) ? ' on' : ''}${!tags.includes(tag) && tags.length >= MAX_TAGS ? ' off' : ''}`}
              data-testid={`tag-${tag}`}
              onClick={() => toggle(tag)}
            >
              {labelOf(REVIEW_TAG_TEXT, tag)}
            </View>
          ))}
        </View>
        <Textarea
          className='review-comment'
          data-testid='review-comment'
          value={comment}
          placeholder='说说这次到店的感受（选填）'
          maxlength={REVIEW_COMMENT_MAX_CHARS * 2}
          onInput={(e) => setComment(e.detail.value)}
        />
        <View className={`muted comment-count${problem ? ' form-error' : ''}`}>
          {problem === 'forbidden-characters' ? '不能包含 < 或 >' : `${charCount(cleaned)}/${REVIEW_COMMENT_MAX_CHARS}`}
        </View>
        <View className='muted'>
          提交后可得 {reward.points} 积分 + {reward.growth} 成长值
        </View>
        {submit.error ? <View className='form-error'>{submit.error}</View> : null}
        <Button
          className='wide'
          type='primary'
          block
          disabled={stars === 0 || problem !== null}
          loading={submit.busy}
          data-testid='review-submit'
          onClick={() => void submit.run()}
        >
          {stars === 0 ? '请先打分' : '提交评价'}
        </Button>
        <Button className='wide' block fill='none' onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}
