/**
 * Mails a report to the site's customer contacts with the PDF attached, through the hub's
 * SMTP settings (nodemailer). The notify module's EmailSender carries no attachments, so
 * reports keep their own small sender on the same configuration.
 */
import { createTransport } from 'nodemailer';
import type { HubConfig } from '../config.js';

export interface ReportMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  pdf: Buffer;
  filename: string;
}

export interface ReportMailer {
  readonly configured: boolean;
  send(mail: ReportMail): Promise<{ messageId: string }>;
}

export function smtpReportMailer(cfg: HubConfig['smtp']): ReportMailer {
  const configured = cfg.host !== undefined && cfg.from !== undefined;
  return {
    configured,
    async send(mail) {
      if (!configured) throw Object.assign(new Error('smtp.host and smtp.from are not set'), { code: 'not-configured' });
      const transport = createTransport({
        host: cfg.host,
        port: cfg.port,
        secure: cfg.secure,
        requireTLS: cfg.requireTls,
        ...(cfg.user !== undefined ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
        connectionTimeout: cfg.timeoutMs,
        greetingTimeout: cfg.timeoutMs,
        socketTimeout: cfg.timeoutMs,
        logger: false,
      });
      try {
        const info = await transport.sendMail({
          from: cfg.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { 'X-Ledwatch-Event': 'inspection.report' },
          attachments: [{ filename: mail.filename, content: mail.pdf, contentType: 'application/pdf' }],
        });
        return { messageId: String(info.messageId) };
      } finally {
        transport.close();
      }
    },
  };
}
