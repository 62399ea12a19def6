//! Notifications go out by e-mail when an SMTP server is configured: one message per user, in the user's
//! language, with links; nothing is sent twice; a server that is down loses nothing. The SMTP server here is a
//! small fake on a local port that speaks just enough SMTP to accept messages and keep them.

mod common;

use std::sync::{Arc, Mutex};

use base64::Engine;
use common::TestApp;
use medist_web::mail::{MailConfig, Security, deliver};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A message the fake server accepted.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

impl Received {
    fn header(&self, name: &str) -> String {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        // Unfold continuation lines, then find the header.
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string)).unwrap_or_default()
    }

    /// The subject with RFC 2047 encoded words decoded (white space between two encoded words is dropped).
    fn subject(&self) -> String {
        let mut out = String::new();
        let mut prev_encoded = false;
        for w in self.header("Subject").split(' ') {
            let decoded = w.strip_prefix("=?utf-8?b?").or_else(|| w.strip_prefix("=?UTF-8?B?")).map(|rest| {
                let b = rest.trim_end_matches("?=");
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
            });
            let joined = prev_encoded && decoded.is_some();
            if !out.is_empty() && !joined {
                out.push(' ');
            }
            prev_encoded = decoded.is_some();
            out.push_str(&decoded.unwrap_or_else(|| w.to_string()));
        }
        out
    }

    /// The text body, decoded from base64.
    fn body(&self) -> String {
        let body = self.data.split("\r\n\r\n").nth(1).unwrap_or("");
        let b64: String = body.lines().map(str::trim).collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
    }
}

/// Starts a fake SMTP server; returns its port and what it received.
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                w.write_all(b"220 fake.smtp ESMTP\r\n").await.unwrap();
                let mut rcpt = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-fake.smtp\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("RCPT TO:") {
                        rcpt.push(line.trim_end()[8..].trim_matches(['<', '>', ' ']).to_string());
                        b"250 OK\r\n"
                    } else if cmd == "DATA" {
                        w.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            r.read_line(&mut line).await.unwrap();
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        store.lock().unwrap().push(Received { rcpt: std::mem::take(&mut rcpt), data });
                        b"250 queued\r\n"
                    } else if cmd == "QUIT" {
                        w.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

fn config(port: u16) -> MailConfig {
    MailConfig {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        username: None,
        password: None,
        from: "MIRACLE 사업단 <office@miracle.example>".parse().unwrap(),
        public_url: "https://medist.example".into(),
    }
}

#[tokio::test]
async fn unread_notifications_are_mailed_once_per_user_in_their_language() {
    let app = TestApp::new().await;
    // The demo's sweep left reminders (IRB expiring, gate reviews, milestones) for the office and the members.
    let (port, got) = fake_smtp().await;
    let r = deliver(&app.db, &config(port)).await.unwrap();
    assert!(r.messages_sent >= 2, "{r:?}");
    assert_eq!(r.failed, 0, "{r:?}");
    let mails = got.lock().unwrap().clone();
    assert_eq!(mails.len() as u64, r.messages_sent);

    let office = mails.iter().find(|m| m.rcpt == ["office@miracle.example"]).expect("a message to the office");
    assert!(office.subject().starts_with("[medist] 확인할 알림 "), "{}", office.subject());
    assert!(office.header("From").contains("office@miracle.example"));
    let body = office.body();
    assert!(body.contains("IRB 승인 만료 예정"), "{body}");
    assert!(body.contains("과제 마일스톤 기한 지남") && body.contains("MIR-2026-02 · 중간 결과 보고 (샘플)"), "{body}");
    assert!(body.contains("https://medist.example/projects/"), "{body}");
    let office_id = medist_db::accounts::user_by_login(&app.db, "office@miracle.example").await.unwrap().unwrap().id;
    let unread = medist_db::research::notifications(&app.db, office_id, true).await.unwrap();
    assert!(unread.iter().all(|n| n.emailed_at.is_some()), "every notification in the message is marked");
    assert_eq!(unread.len(), body.matches("• ").count(), "one line per notification");

    // Nothing new: nothing sent.
    let again = deliver(&app.db, &config(port)).await.unwrap();
    assert_eq!(again.messages_sent, 0, "{again:?}");
    assert_eq!(got.lock().unwrap().len(), mails.len());
}

#[tokio::test]
async fn a_server_that_is_down_loses_nothing_and_read_notifications_are_not_sent() {
    let app = TestApp::new().await;
    // A port with nothing listening.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = deliver(&app.db, &config(closed)).await.unwrap();
    assert_eq!(r.messages_sent, 0);
    assert!(r.failed >= 2, "{r:?}");
    assert!(r.first_error.as_deref().is_some_and(|e| e.contains(&closed.to_string())), "{r:?}");

    // The office reads its notifications in the application; the next delivery skips them.
    let office_id = medist_db::accounts::user_by_login(&app.db, "office@miracle.example").await.unwrap().unwrap().id;
    medist_db::research::mark_read(&app.db, office_id, None).await.unwrap();
    let (port, got) = fake_smtp().await;
    let r = deliver(&app.db, &config(port)).await.unwrap();
    assert_eq!(r.failed, 0, "{r:?}");
    assert!(r.messages_sent >= 1, "the other users still get theirs: {r:?}");
    let mails = got.lock().unwrap().clone();
    assert!(mails.iter().all(|m| m.rcpt != ["office@miracle.example"]), "read notifications are not mailed");
}
