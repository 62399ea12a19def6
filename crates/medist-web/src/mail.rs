//! E-mail delivery of notifications (알림 메일).
//!
//! When an SMTP server is configured, every user with unread notifications that were never e-mailed gets one
//! message that lists them, in the user's language, each with a link to the page where they act. A notification
//! is marked as e-mailed only after the server accepted the message, so a server that is down delays mail and
//! loses none; a notification read in the application before the next delivery is not sent at all.
//!
//! Composing a message ([`compose`]) is a pure function; [`deliver`] is the I/O edge (database and SMTP).

use std::fmt::Write as _;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use medist_core::locale::Locale;
use medist_db::Db;
use medist_db::entities::notification;
use serde::Serialize;

use crate::i18n;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP (a relay on the same host or network; also what tests use).
    None,
    /// STARTTLS on the submission port (587), required.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Security {
    /// `none`, `starttls` or `tls`.
    pub fn parse(s: &str) -> Option<Security> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "plain" => Some(Security::None),
            "starttls" => Some(Security::StartTls),
            "tls" | "ssl" => Some(Security::Tls),
            _ => None,
        }
    }
}

/// Where and how to send mail.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `MIRACLE 사업단 <office@miracle.example>`.
    pub from: Mailbox,
    /// The address users open medist at, for the links in a message (e.g. `https://medist.example.ac.kr`).
    pub public_url: String,
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
}

/// The page where a user acts on a notification.
pub fn link(public_url: &str, n: &notification::Model) -> String {
    let base = public_url.trim_end_matches('/');
    match n.subject_kind.as_str() {
        "project" => format!("{base}/projects/{}", n.subject_id),
        "need" => format!("{base}/needs/{}", n.subject_id),
        "data_access_request" => format!("{base}/data#request-{}", n.subject_id),
        "screening_round" => format!("{base}/screening/{}", n.subject_id),
        _ => format!("{base}/notifications"),
    }
}

/// One message listing `items` for a user, in `lang`.
pub fn compose(lang: Locale, user_name: &str, items: &[notification::Model], public_url: &str) -> Composed {
    let strip = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
    let subject = strip(i18n::t_count(lang, "mail-subject", items.len() as i64));
    let mut body = strip(i18n::t_args(lang, "mail-greeting", &[("name", user_name.to_string())]));
    body.push_str("\n\n");
    for n in items {
        let kind = i18n::t(lang, &format!("notice-{}", n.kind.replace('_', "-")));
        let _ = write!(body, "• {kind}");
        if !n.detail.is_empty() {
            let _ = write!(body, " — {}", n.detail);
        }
        if let Some(due) = n.due_on {
            let _ = write!(body, " ({})", strip(i18n::t_args(lang, "mail-due", &[("date", due.to_string())])));
        }
        let _ = write!(body, "\n  {}\n", link(public_url, n));
    }
    let all = format!("{}/notifications", public_url.trim_end_matches('/'));
    let _ = write!(
        body,
        "\n{}\n\n-- \n{}\n",
        strip(i18n::t_args(lang, "mail-all", &[("url", all)])),
        i18n::t(lang, "mail-footer")
    );
    Composed { subject, body }
}

/// What one delivery did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MailReport {
    /// Messages the server accepted.
    pub messages_sent: u64,
    /// Notifications in those messages.
    pub notifications_sent: u64,
    /// Users whose message could not be sent (they are tried again next time).
    pub failed: u64,
    /// The first error, for the log and the CLI.
    pub first_error: Option<String>,
}

/// Builds the SMTP transport of the configuration.
pub fn transport(cfg: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match cfg.security {
        Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
        Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)
            .map_err(|e| format!("smtp_host {}: {e}", cfg.host))?,
        Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host)
            .map_err(|e| format!("smtp_host {}: {e}", cfg.host))?,
    };
    let mut builder = builder.port(cfg.port).timeout(Some(std::time::Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Ok(builder.build())
}

/// Sends every user their unsent notifications, one message each, and marks what the server accepted.
pub async fn deliver(db: &Db, cfg: &MailConfig) -> Result<MailReport, String> {
    let smtp = transport(cfg)?;
    let mut report = MailReport::default();
    let batches = medist_db::research::unsent_notifications(db, 500).await.map_err(|e| e.to_string())?;
    for b in batches {
        let lang = Locale::parse(&b.user.locale).unwrap_or_default();
        let to = match b.user.login.parse::<lettre::Address>() {
            Ok(addr) => Mailbox::new(Some(b.user.display_name.clone()), addr),
            Err(e) => {
                // Not an address: nothing to try again; leave the notifications in the application only.
                tracing::warn!(user = b.user.id, login = %b.user.login, error = %e, "no e-mail address for notifications");
                let ids: Vec<i64> = b.notifications.iter().map(|n| n.id).collect();
                medist_db::research::mark_emailed(db, &ids).await.map_err(|e| e.to_string())?;
                continue;
            }
        };
        let c = compose(lang, &b.user.display_name, &b.notifications, &cfg.public_url);
        let msg = Message::builder()
            .from(cfg.from.clone())
            .to(to)
            .subject(c.subject)
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(c.body),
            )
            .map_err(|e| format!("could not build the message: {e}"))?;
        match smtp.send(msg).await {
            Ok(_) => {
                let ids: Vec<i64> = b.notifications.iter().map(|n| n.id).collect();
                medist_db::research::mark_emailed(db, &ids).await.map_err(|e| e.to_string())?;
                report.messages_sent += 1;
                report.notifications_sent += ids.len() as u64;
            }
            Err(e) => {
                report.failed += 1;
                if report.first_error.is_none() {
                    report.first_error = Some(format!("{}:{}: {e}", cfg.host, cfg.port));
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    fn n(
        id: i64,
        kind: &str,
        subject_kind: &str,
        subject_id: i64,
        detail: &str,
        due: Option<NaiveDate>,
    ) -> notification::Model {
        notification::Model {
            id,
            user_id: 1,
            kind: kind.into(),
            subject_kind: subject_kind.into(),
            subject_id,
            detail: detail.into(),
            due_on: due,
            dedup_key: format!("k{id}"),
            created_at: Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap(),
            read_at: None,
            emailed_at: None,
        }
    }

    #[test]
    fn one_message_lists_each_notification_with_its_link() {
        let items = vec![
            n(1, "irb_expiring", "project", 7, "P-2027-003 종양미세환경 분석", NaiveDate::from_ymd_opt(2027, 3, 20)),
            n(2, "need_returned", "need", 4, "수술 중 림프절 전이 판별", None),
        ];
        let c = compose(Locale::Ko, "박서준", &items, "https://medist.example/");
        assert_eq!(c.subject, "[medist] 확인할 알림 2건");
        assert!(c.body.starts_with("박서준님, "), "{}", c.body);
        assert!(c.body.contains("• IRB 승인 만료 예정 — P-2027-003 종양미세환경 분석 (기한 2027-03-20)"), "{}", c.body);
        assert!(c.body.contains("  https://medist.example/projects/7\n"), "{}", c.body);
        assert!(
            c.body.contains("• 임상수요 보완 요청 — 수술 중 림프절 전이 판별\n  https://medist.example/needs/4"),
            "{}",
            c.body
        );
        assert!(c.body.contains("https://medist.example/notifications"), "{}", c.body);

        let e = compose(Locale::En, "Seojun Park", &items[..1], "http://localhost:8080");
        assert_eq!(e.subject, "[medist] 1 notification to act on");
        assert!(e.body.contains("IRB approval expiring"), "{}", e.body);
        assert!(e.body.contains("due 2027-03-20"), "{}", e.body);
    }

    #[test]
    fn links_go_where_the_user_acts() {
        let base = "http://h";
        assert_eq!(link(base, &n(1, "x", "data_access_request", 9, "", None)), "http://h/data#request-9");
        assert_eq!(link(base, &n(1, "x", "something_else", 9, "", None)), "http://h/notifications");
    }

    #[test]
    fn security_names() {
        assert_eq!(Security::parse("STARTTLS"), Some(Security::StartTls));
        assert_eq!(Security::parse("ssl"), Some(Security::Tls));
        assert_eq!(Security::parse("none"), Some(Security::None));
        assert_eq!(Security::parse("maybe"), None);
    }
}
