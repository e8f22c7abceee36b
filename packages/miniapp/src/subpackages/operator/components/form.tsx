import { View, Text } from '@tarojs/components';
import { Input } from '@nutui/nutui-react-taro';

/** A labelled text field with what the API said about it underneath. */
export function Field(props: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  issue?: string;
  placeholder?: string;
  type?: 'text' | 'number' | 'digit';
}) {
  return (
    <View className={`op-field f-${props.name}`}>
      <Text className='op-field-label'>{props.label}</Text>
      <Input type={props.type ?? 'text'} placeholder={props.placeholder ?? ''} value={props.value} onChange={props.onChange} />
      {props.issue ? (
        <View className='op-issue' data-testid={`issue-${props.name}`}>
          {props.issue}
        </View>
      ) : null}
    </View>
  );
}

/** One choice out of a few (a kind, yes/no), as tappable chips. */
export function Choice<T extends string>(props: {
  name: string;
  label: string;
  value: T;
  options: readonly { value: T; text: string }[];
  onChange: (v: T) => void;
}) {
  return (
    <View className={`op-field f-${props.name}`}>
      <Text className='op-field-label'>{props.label}</Text>
      <View className='op-choice'>
        {props.options.map((o) => (
          <Text
            key={o.value}
            className={`op-choice-item${o.value === props.value ? ' active' : ''}`}
            data-testid={`choice-${props.name}-${o.value}`}
            onClick={() => props.onChange(o.value)}
          >
            {o.text}
          </Text>
        ))}
      </View>
    </View>
  );
}

/** Issues the form has no field for (e.g. "nothing to change"), listed by field name. */
export function OtherIssues({ issues, shown }: { issues: Record<string, string>; shown: readonly string[] }) {
  const rest = Object.entries(issues).filter(([k]) => !shown.includes(k));
  if (!rest.length) return null;
  return (
    <View data-testid='other-issues'>
      {rest.map(([k, m]) => (
        <View className='op-issue' key={k}>
          {k === '_' ? m : `${k}：${m}`}
        </View>
      ))}
    </View>
  );
}
