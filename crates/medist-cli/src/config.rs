//! Layered configuration: built-in defaults → an optional TOML file → `MEDIST_*` environment
//! variables → command-line flags. Secrets (the database password) are never printed.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use medist_web::mail::{MailConfig, Security};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `sqlite://medist.db` (the default, created on first start) or `postgres://user@host/db`.
    pub database_url: String,
    /// Address and port to listen on.
    pub bind: String,
    /// Mark cookies Secure; turn on when serving over HTTPS.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_forwarded_for: bool,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// A tracing filter, e.g. `info` or `medist_web=debug,info`.
    pub log_level: String,
    /// The SMTP server for notification e-mail; without it notifications stay in the application.
    pub smtp_host: Option<String>,
    /// 587 (STARTTLS), 465 (TLS) or 25.
    pub smtp_port: u16,
    /// `starttls` (default), `tls` or `none`.
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    /// Never printed.
    pub smtp_password: Option<String>,
    /// The sender, e.g. `MIRACLE 사업단 <office@miracle.example>`.
    pub smtp_from: Option<String>,
    /// The address users open medist at, for links in e-mail (default `http://<bind>`).
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://medist.db".into(),
            bind: "127.0.0.1:8080".into(),
            secure_cookies: false,
            trust_forwarded_for: false,
            log_format: "text".into(),
            log_level: "info".into(),
            smtp_host: None,
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            smtp_from: None,
            public_url: None,
        }
    }
}

/// Loads the configuration. `file` is `--config`; without it `MEDIST_CONFIG` or `./medist.toml` is
/// read when present.
pub fn load(file: Option<&Path>) -> Result<Config, String> {
    let mut fig = Figment::from(Serialized::defaults(Config::default()));
    let path: Option<PathBuf> = file
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("MEDIST_CONFIG").map(PathBuf::from))
        .or_else(|| Some(PathBuf::from("medist.toml")).filter(|p| p.exists()));
    if let Some(p) = &path {
        if !p.exists() {
            return Err(format!("the configuration file {} does not exist", p.display()));
        }
        fig = fig.merge(Toml::file(p));
    }
    // Only the known keys: other MEDIST_* variables (MEDIST_LOG, test settings) are not configuration.
    fig = fig.merge(Env::prefixed("MEDIST_").only(&[
        "DATABASE_URL",
        "BIND",
        "SECURE_COOKIES",
        "TRUST_FORWARDED_FOR",
        "LOG_FORMAT",
        "LOG_LEVEL",
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_SECURITY",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
        "SMTP_FROM",
        "PUBLIC_URL",
    ]));
    let cfg: Config = fig.extract().map_err(|e| {
        let mut msg = String::new();
        for err in e {
            let src = err.metadata.as_ref().map(|m| m.name.to_string()).unwrap_or_else(|| "configuration".into());
            let key = if err.path.is_empty() { String::new() } else { format!(" key `{}`:", err.path.join(".")) };
            let place = match (&path, err.metadata.as_ref().and_then(|m| m.source.as_ref())) {
                (Some(p), Some(_)) if src.contains("TOML") => format!("{} ({src})", p.display()),
                _ => src,
            };
            msg.push_str(&format!("{place}:{key} {}\n", err.kind));
        }
        msg.trim_end().to_string()
    })?;
    cfg.validate()?;
    Ok(cfg)
}

impl Config {
    fn validate(&self) -> Result<(), String> {
        if self.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(format!("bind: `{}` is not an address and port such as 127.0.0.1:8080", self.bind));
        }
        if !["text", "json"].contains(&self.log_format.as_str()) {
            return Err(format!("log_format: `{}` must be `text` or `json`", self.log_format));
        }
        self.mail()?;
        Ok(())
    }

    /// The SMTP settings, when `smtp_host` is set; an error names the key at fault.
    pub fn mail(&self) -> Result<Option<MailConfig>, String> {
        let Some(host) = self.smtp_host.as_deref().map(str::trim).filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let security = Security::parse(&self.smtp_security)
            .ok_or_else(|| format!("smtp_security: `{}` must be `starttls`, `tls` or `none`", self.smtp_security))?;
        let from = self.smtp_from.as_deref().map(str::trim).filter(|f| !f.is_empty()).ok_or_else(|| {
            "smtp_from: required when smtp_host is set (e.g. `MIRACLE 사업단 <office@miracle.example>`)".to_string()
        })?;
        let from = from.parse().map_err(|e| format!("smtp_from: `{from}` is not a mailbox: {e}"))?;
        if self.smtp_username.is_some() != self.smtp_password.is_some() {
            return Err("smtp_username and smtp_password: give both or neither".into());
        }
        let public_url = self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!("public_url: `{public_url}` must start with http:// or https://"));
        }
        Ok(Some(MailConfig {
            host: host.to_string(),
            port: self.smtp_port,
            security,
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            from,
            public_url,
        }))
    }

    /// The configuration as it may be shown: the database and SMTP passwords hidden.
    pub fn redacted(&self) -> Config {
        Config {
            database_url: medist_db::redact_url(&self.database_url),
            smtp_password: self.smtp_password.as_ref().map(|_| "***".into()),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own error type.
    fn layers_and_errors() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("a.toml", "bind = \"0.0.0.0:9000\"\nlog_format = \"json\"")?;
            jail.set_env("MEDIST_DATABASE_URL", "postgres://m:secret@db/medist");
            let c = load(Some(Path::new("a.toml"))).unwrap();
            assert_eq!(c.bind, "0.0.0.0:9000");
            assert_eq!(c.log_format, "json");
            assert_eq!(c.database_url, "postgres://m:secret@db/medist");
            assert_eq!(c.redacted().database_url, "postgres://m:***@db/medist");

            jail.create_file("bad.toml", "bind = 8080\nsecure_cookies = \"perhaps\"")?;
            let e = load(Some(Path::new("bad.toml"))).unwrap_err();
            assert!(e.contains("bad.toml"), "{e}");
            assert!(e.contains("secure_cookies") || e.contains("bind"), "{e}");

            jail.create_file("unknown.toml", "colour = \"blue\"")?;
            let e = load(Some(Path::new("unknown.toml"))).unwrap_err();
            assert!(e.contains("colour"), "{e}");

            jail.create_file("badbind.toml", "bind = \"everywhere\"")?;
            let e = load(Some(Path::new("badbind.toml"))).unwrap_err();
            assert!(e.contains("bind"), "{e}");

            jail.create_file(
                "mail.toml",
                "smtp_host = \"smtp.example\"\nsmtp_from = \"MIRACLE 사업단 <office@miracle.example>\"\nsmtp_username = \"u\"\nsmtp_password = \"pw\"",
            )?;
            let c = load(Some(Path::new("mail.toml"))).unwrap();
            let m = c.mail().unwrap().unwrap();
            assert_eq!((m.port, m.security), (587, Security::StartTls));
            assert_eq!(m.from.email.to_string(), "office@miracle.example");
            assert_eq!(m.public_url, "http://127.0.0.1:8080");
            assert_eq!(c.redacted().smtp_password.as_deref(), Some("***"));
            jail.create_file("nofrom.toml", "smtp_host = \"smtp.example\"")?;
            let e = load(Some(Path::new("nofrom.toml"))).unwrap_err();
            assert!(e.contains("smtp_from"), "{e}");
            jail.create_file("badsec.toml", "smtp_host = \"h\"\nsmtp_from = \"a@b.c\"\nsmtp_security = \"maybe\"")?;
            let e = load(Some(Path::new("badsec.toml"))).unwrap_err();
            assert!(e.contains("smtp_security"), "{e}");

            let e = load(Some(Path::new("missing.toml"))).unwrap_err();
            assert!(e.contains("does not exist"), "{e}");
            Ok(())
        });
    }
}
