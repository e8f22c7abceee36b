export type PhoneValue = { kind: 'none' } | { kind: 'typed'; phone: string } | { kind: 'code'; code: string };

export interface PhoneFieldProps {
  value: PhoneValue;
  onChange: (v: PhoneValue) => void;
}
