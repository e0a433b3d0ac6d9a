import { DeliveryMode, type EmailOptions } from './report-types';

/** What a send uses: the tenant's From fields over the server's, the tenant's SMTP server unless it inherits. */
export type DeliverySettings = {
  mode: 'smtp' | 'smtp-ssl' | 'disabled';
  host: string;
  port: number;
  username: string;
  password: string;
  allowInvalidCertificate: boolean;
  allowUnencrypted: boolean;
  customEhlo: string;
  fromEmail: string;
  fromName: string;
};

export function deliveryFrom(own: EmailOptions, server: EmailOptions | null): DeliverySettings {
  const smtp = (own.Mode ?? '') === DeliveryMode.INHERIT && server ? server : own;
  const mode = smtp.Mode === DeliveryMode.SMTP || smtp.Mode === DeliveryMode.SMTP_SSL ? smtp.Mode : 'disabled';
  return {
    mode,
    host: smtp.SMTPHost ?? '',
    port: smtp.SMTPPort || (mode === 'smtp-ssl' ? 465 : 25),
    username: smtp.SMTPUsername ?? '',
    password: smtp.SMTPPassword ?? '',
    allowInvalidCertificate: smtp.SMTPAllowInvalidCertificate === true,
    allowUnencrypted: smtp.SMTPAllowUnencrypted === true,
    customEhlo: smtp.SMTPCustomEhlo ?? '',
    fromEmail: own.FromEmail || server?.FromEmail || '',
    fromName: own.FromName || server?.FromName || '',
  };
}
