import type { ReactElement } from 'react';

/**
 * What each platform module provides. Taro bundles `x.weapp.ts(x)` or `x.h5.ts(x)` for an import of
 * `./x`; TypeScript only sees the plain `x.ts(x)` entry. So every variant annotates its export with
 * the interface below, and every entry imports both variants and asserts them again: a variant that
 * drifts fails `pnpm typecheck` even though no page imports it directly. Types only: nothing here
 * reaches a bundle.
 */

/** Proof of who is signing in: a wx.login code on WeChat, a device identity on H5 (development login). */
export interface LoginProof {
  kind: 'wechat' | 'dev';
  value: string;
}

export interface LoginPlatform {
  obtainLoginProof(): Promise<LoginProof>;
  /** Applies a `?as=` identity switch once at start-up; true when the identity changed. */
  applyIdentitySwitch(): boolean;
}

export interface ScanPlatform {
  /** Whether the device has a camera scanner; without one the cashier types the digits. */
  readonly canScan: boolean;
  /** The scanned text, or null when the scan was cancelled or is unavailable. Never rejects. */
  scanMemberCode(): Promise<string | null>;
}

export interface BrightnessPlatform {
  /**
   * Raises the screen to full brightness and keeps it on while a code is shown. Resolves to the
   * step that undoes exactly this raise (a no-op where brightness cannot change). Never rejects.
   */
  raise(): Promise<() => void>;
}

export type PhoneValue = { kind: 'none' } | { kind: 'typed'; phone: string } | { kind: 'code'; code: string };

export interface PhoneFieldProps {
  value: PhoneValue;
  onChange: (v: PhoneValue) => void;
}

/** The registration form's phone input: typed on H5, WeChat's getPhoneNumber button on weapp. */
export type PhoneFieldComponent = (props: PhoneFieldProps) => ReactElement;

/** Every platform module's entry, for the checks in the `x.ts(x)` entries. */
export type Variants<T> = Record<'weapp' | 'h5', T>;

/**
 * The code on the invite poster: a QR code of a link the poster draws itself (`qr`), or an image
 * file to draw (`image`: WeChat's mini-program code, a temporary file).
 */
export type PosterCode = { kind: 'qr'; text: string } | { kind: 'image'; file: string };

/** Sharing a page and keeping the invite poster. */
export interface SharePlatform {
  /** `wechat`: WeChat's own share sheet (a button with open-type share); `link`: the member copies a link (H5). */
  readonly kind: 'wechat' | 'link';
  /** What a mini-program path is outside the app: this site's URL on H5; the path itself on WeChat. */
  linkTo(path: string): string;
  /** Copies the link to a path to the clipboard (H5). Resolves true when copied. Never rejects. */
  copyLink(path: string): Promise<boolean>;
  /**
   * Keeps a drawn poster (a temporary file, or a data URL on H5): saved to the photo album on
   * WeChat — asking for the album permission, and sending the member to the settings when they
   * refused it before — or downloaded on H5. Resolves true when saved. Never rejects.
   */
  savePoster(file: string): Promise<boolean>;
  /**
   * The code the invite poster shows for `invitePath`. On H5, a QR code of the invite link
   * (`linkTo`). On WeChat a QR code of a bare page path opens nothing when scanned, so it is the
   * member's mini-program code, which the BFF gets from WeChat: `downloadImage` fetches it to a
   * temporary file. Rejects when that download fails.
   */
  posterCode(invitePath: string, downloadImage: () => Promise<string>): Promise<PosterCode>;
}

/** How the personal data export leaves the phone. */
export interface DataFilePlatform {
  /** What `save` does, for the button's words: a browser download (H5), or a file sent to a chat (WeChat). */
  readonly kind: 'download' | 'chat';
  /**
   * Keeps `json` as the file `name`: downloaded on H5; on WeChat written to the mini-program's user
   * folder and offered to send to a chat (e.g. 文件传输助手), or copied to the clipboard when that is
   * refused or unavailable. Resolves to what happened. Never rejects.
   */
  save(name: string, json: string): Promise<'downloaded' | 'sent' | 'copied' | 'failed'>;
}

/** A template to ask for in WeChat's one-time subscribe dialog, by notification kind. */
export interface SubscribeTemplate<K extends string = string> {
  kind: K;
  templateId: string;
}

/** WeChat's one-time subscribe messages (`requestSubscribeMessage`); browsers have none. */
export interface SubscribePlatform {
  /** Whether messages can be allowed here (WeChat). On H5 the page says where they are. */
  readonly available: boolean;
  /**
   * Opens WeChat's dialog for these templates (at most three; it must run from a tap) and resolves
   * to the kinds the member allowed, or `failed` when the dialog could not open (the member
   * switched subscribe messages off in the settings, or the platform has none). Never rejects.
   */
  request<K extends string>(templates: readonly SubscribeTemplate<K>[]): Promise<{ accepted: K[]; failed: boolean }>;
}
