/**
 * The service's one look, shared by the signer's page (a style sheet, functions/http/signing-page.ts) and the mail
 * HTML (inline styles, as mail clients drop sheets and classes; functions/notifications/mail-layout.ts), so a
 * signer sees one service from the invitation to the page it links to.
 */
export const LOOK = {
  font: '16px/1.5 system-ui,sans-serif',
  ink: '#1b1f24',
  muted: '#4a5260',
  pageBackground: '#f4f5f7',
  card: '#fff',
  cardShadow: '0 1px 3px #0002',
  rule: '#c9ced6',
  accent: '#1a5fb4',
  onAccent: '#fff',
  danger: '#b3261e',
  radius: '8px',
  controlRadius: '4px',
  width: '40rem',
} as const;
