//! Layered configuration: built-in defaults → an optional TOML file → `MEDIST_*` environment
//! variables → command-line flags. Secrets (the database password) are never printed.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
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
        Ok(())
    }

    /// The configuration as it may be shown: the database password hidden.
    pub fn redacted(&self) -> Config {
        Config { database_url: medist_db::redact_url(&self.database_url), ..self.clone() }
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

            let e = load(Some(Path::new("missing.toml"))).unwrap_err();
            assert!(e.contains("does not exist"), "{e}");
            Ok(())
        });
    }
}
