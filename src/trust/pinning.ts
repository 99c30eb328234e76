import type { RawItem } from '../shared/index.js';
import { fingerprint, pinnedDefinition, type PinKind, type PinnedDefinition } from './fingerprint.js';
import { hasHighSeverity, type Finding } from './scanner.js';

/**
 * Where a pinned definition stands. Only `approved` is visible and callable.
 * - `approved`: the current definition is the one an admin (or the baseline, or auto-approval) accepted.
 * - `pending`: a tool or prompt never approved (new after the baseline).
 * - `changed`: approved once, but the upstream now describes it differently.
 * - `quarantined`: the scanner found something of high severity in the current definition.
 * - `blocked`: an admin said no; stays blocked whatever the upstream does, until approved.
 */
export type PinState = 'approved' | 'pending' | 'changed' | 'quarantined' | 'blocked';
export const PIN_STATES: readonly PinState[] = ['approved', 'pending', 'changed', 'quarantined', 'blocked'];

/** The trust record of one tool or prompt of one server. */
export interface Pin {
  server: string;
  kind: PinKind;
  name: string;
  state: PinState;
  /** Of the definition the upstream offers now (or last offered). */
  fingerprint: string;
  definition: PinnedDefinition;
  approvedFingerprint: string | null;
  approvedDefinition: PinnedDefinition | null;
  /** The scanner's findings on the current definition. */
  findings: Finding[];
  /** Who decided last (an admin's name, `baseline`, `auto-approve`, `scanner`), and when. */
  decidedBy: string | null;
  updatedAt: string;
}

/** Why a pin moved. */
export type TransitionReason = 'baseline' | 'new' | 'changed' | 'reverted' | 'auto_approved' | 'scanner' | 'blocked_changed';

export interface Transition {
  pin: Pin;
  from: PinState | null;
  reason: TransitionReason;
}

export interface ReviewContext {
  /** No pins exist for the server yet: its first listing becomes the baseline. */
  baseline: boolean;
  /** The server's `auto_approve_tool_changes`. */
  autoApprove: boolean;
  scan: (kind: PinKind, def: PinnedDefinition) => Finding[];
  now: string;
}

/**
 * Review one list (tools or prompts) of one server against its pins. Returns the pins that are new or
 * moved, each with why. Pure: the caller persists the pins and records the transitions.
 */
export function reviewListing(server: string, kind: PinKind, items: readonly RawItem[], pins: ReadonlyMap<string, Pin>, ctx: ReviewContext): Transition[] {
  const out: Transition[] = [];
  for (const item of items) {
    const name = String(item['name'] ?? '');
    if (!name) continue;
    const definition = pinnedDefinition(kind, item);
    const fp = fingerprint(definition);
    const prev = pins.get(pinKey(kind, name));
    if (prev && prev.fingerprint === fp) continue;
    const findings = ctx.scan(kind, definition);
    const next = (state: PinState, decidedBy: string | null, approved: boolean): Pin => ({
      server,
      kind,
      name,
      state,
      fingerprint: fp,
      definition,
      approvedFingerprint: approved ? fp : (prev?.approvedFingerprint ?? null),
      approvedDefinition: approved ? definition : (prev?.approvedDefinition ?? null),
      findings,
      decidedBy: decidedBy ?? prev?.decidedBy ?? null,
      updatedAt: ctx.now,
    });
    if (!prev) {
      if (hasHighSeverity(findings)) out.push({ pin: next('quarantined', 'scanner', false), from: null, reason: 'scanner' });
      else if (ctx.baseline) out.push({ pin: next('approved', 'baseline', true), from: null, reason: 'baseline' });
      else if (ctx.autoApprove) out.push({ pin: next('approved', 'auto-approve', true), from: null, reason: 'auto_approved' });
      else out.push({ pin: next('pending', null, false), from: null, reason: 'new' });
      continue;
    }
    if (prev.state === 'blocked') out.push({ pin: next('blocked', null, false), from: prev.state, reason: 'blocked_changed' });
    else if (fp === prev.approvedFingerprint) out.push({ pin: { ...next('approved', null, false), findings: prev.findings }, from: prev.state, reason: 'reverted' });
    else if (hasHighSeverity(findings)) out.push({ pin: next('quarantined', 'scanner', false), from: prev.state, reason: 'scanner' });
    else if (ctx.autoApprove) out.push({ pin: next('approved', 'auto-approve', true), from: prev.state, reason: 'auto_approved' });
    else out.push({ pin: next(prev.approvedFingerprint ? 'changed' : 'pending', null, false), from: prev.state, reason: prev.approvedFingerprint ? 'changed' : 'new' });
  }
  return out;
}

/** An admin's approval: the current definition becomes the approved one. */
export function approvePin(pin: Pin, by: string, now: string): Pin {
  return { ...pin, state: 'approved', approvedFingerprint: pin.fingerprint, approvedDefinition: pin.definition, decidedBy: by, updatedAt: now };
}

/** An admin's block: hidden and refused until approved, whatever the upstream changes. */
export function blockPin(pin: Pin, by: string, now: string): Pin {
  return { ...pin, state: 'blocked', decidedBy: by, updatedAt: now };
}

/** Whether clients may see and call it. */
export const isVisible = (pin: Pin | undefined): boolean => pin?.state === 'approved';

export const pinKey = (kind: PinKind, name: string): string => `${kind}:${name}`;
