import { useMemo } from 'react';
import { Image } from '@tarojs/components';
import { qrDataUri } from '../services/code-images';

/** A QR code for a short numeric code (pickup codes), drawn as SVG like the member code. */
export function QrImage({ text, className }: { text: string; className?: string }) {
  const src = useMemo(() => qrDataUri(text), [text]);
  return <Image className={className} data-testid='qr' src={src} mode='scaleToFill' />;
}
