//! A real browser for tests: headless Debian `chromium`, driven over WebDriver through a
//! `chromedriver` of the test's own on a free loopback port (`scripts/services browser`
//! installs both). Each [`Browser`] is one chromedriver process and one browser session,
//! with a profile directory of its own; dropping it ends both.
//!
//! Screenshots go to `$CARGO_TARGET_DIR/screenshots/` (or `target/screenshots/`), named by
//! the test, so that a person can look at what the test saw.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// The chromedriver binary: `CHROMEDRIVER` if set, else Debian's.
fn chromedriver() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned())
}

/// One chromedriver and one headless chromium session.
pub struct Browser {
    client: Option<Client>,
    driver: Child,
    /// Chromium's profile, deleted with the browser.
    profile: tempfile::TempDir,
}

impl Browser {
    /// Start chromedriver and open a session with a 1280×900 window.
    pub async fn start() -> anyhow::Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let driver = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that the browsers it starts end with it.
            .process_group(0)
            .spawn()
            .context("cannot start chromedriver (scripts/services browser installs it)")?;
        let profile = tempfile::tempdir()?;
        let mut browser = Self {
            client: None,
            driver,
            profile,
        };
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", browser.profile.path().display()),
                ],
            }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("an object"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    browser.client = Some(client);
                    return Ok(browser);
                }
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("chromedriver at {url} opened no session: {last_error:?}")
    }

    /// The WebDriver session.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("a session until dropped")
    }

    /// Save what the browser shows as `screenshots/<name>.png` under the target directory;
    /// returns the path.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let png = self.client().screenshot().await?;
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"))
            .join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// End the session, then chromedriver.
    pub async fn close(mut self) -> anyhow::Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
        }
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole group: chromedriver and the chromium processes it started, also when
        // the test failed before `close`.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
