//! A server with the API and the web app over a test database, its read models kept up
//! to date in the background (what the projection worker does live), accounts registered
//! through the API, and a browser signed in through the form.

use std::future::Future;
use std::time::Duration;

use api::auth::{TokenKeys, TokenType};
use api::{ApiConfig, Application, Deps};
use domain::Role;
use eventstore::EventStore;
use fantoccini::{Client, Locator};
use secrecy::ExposeSecret;
use serde_json::json;
use tokio::sync::oneshot;
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery staple";
const WAIT: Duration = Duration::from_secs(20);

pub struct WebApp {
    pub address: String,
    pub db: testkit::TestDb,
    keys: TokenKeys,
    http: reqwest::Client,
    _stop: oneshot::Sender<()>,
}

impl WebApp {
    pub async fn spawn() -> Self {
        let db = testkit::TestDb::create().await.expect("a test database");
        let store = EventStore::start(db.pool.clone()).await.expect("the store");
        let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        let mut config = ApiConfig::with_secret(secret);
        config.listen = "127.0.0.1:0".parse().unwrap();
        let keys = TokenKeys::from_secret(
            config.jwt_secret.expose_secret().as_bytes(),
            Duration::from_secs(900),
            Duration::from_secs(3600),
        )
        .unwrap();
        let app = Application::build_with(config, Deps { store, nats: None }, web::pages())
            .await
            .expect("the application builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        tokio::spawn(keep_read_models_current(db.pool.clone()));
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self {
            address,
            db,
            keys,
            http: reqwest::Client::new(),
            _stop: stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A bearer token for an admin (for setting up through the API).
    pub fn admin_token(&self) -> String {
        self.keys
            .issue(Uuid::now_v7(), Role::Admin, TokenType::Access)
            .unwrap()
    }

    /// Register an account through the API; its id.
    pub async fn register(&self, role: Role, username: &str, display_name: &str) -> Uuid {
        let response = self
            .http
            .post(self.url("/v1/users"))
            .bearer_auth(self.admin_token())
            .json(&json!({
                "username": username,
                "email": format!("{username}@example.org"),
                "display_name": display_name,
                "password": PASSWORD,
                "role": role.as_str(),
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        let body: serde_json::Value = response.json().await.unwrap();
        let stream = body["stream_id"].as_str().unwrap();
        stream.trim_start_matches("user-").parse().unwrap()
    }
}

/// Apply the log to every read model, every 50 ms (what the projection workers do live).
async fn keep_read_models_current(pool: sqlx::PgPool) {
    use projections::advance_to;
    use projections::analytics::{
        agent_performance::AgentPerformance, class_dashboard::ClassDashboard,
        daily_activity::DailyActivity, lesson_funnel::LessonFunnel,
    };
    loop {
        if let Ok(head) = eventstore::read::head(&pool).await {
            let _ = advance_to(&pool, &projections::lessons::Lessons, head).await;
            let _ = advance_to(&pool, &projections::users::Users, head).await;
            let _ = advance_to(&pool, &projections::classes::Classes, head).await;
            let _ = advance_to(&pool, &projections::content_requests::ContentRequests, head).await;
            let _ = advance_to(&pool, &projections::student_progress::StudentProgress, head).await;
            let _ = advance_to(&pool, &projections::parent_links::ParentLinks, head).await;
            let _ = advance_to(&pool, &LessonFunnel, head).await;
            let _ = advance_to(&pool, &AgentPerformance, head).await;
            let _ = advance_to(&pool, &ClassDashboard, head).await;
            let _ = advance_to(&pool, &DailyActivity, head).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Run `test` in a fresh browser; when it fails, save a screenshot named `name` first.
pub async fn in_browser<F, Fut>(name: &str, test: F)
where
    F: FnOnce(testkit::Browser) -> Fut,
    Fut: Future<Output = (testkit::Browser, anyhow::Result<()>)>,
{
    let browser = testkit::Browser::start().await.expect("a browser");
    let (browser, outcome) = test(browser).await;
    if let Err(error) = outcome {
        let shot = browser.screenshot(&format!("{name}-failed")).await;
        let _ = browser.close().await;
        panic!("{error:#} (screenshot: {shot:?})");
    }
    browser.close().await.unwrap();
}

/// Type into the sign-in form on the page and send it.
pub async fn send_sign_in(page: &Client, username: &str, password: &str) -> anyhow::Result<()> {
    let field = |name: &'static str| page.find(Locator::Css(name));
    field("input[name=username]")
        .await?
        .send_keys(username)
        .await?;
    field("input[name=password]")
        .await?
        .send_keys(password)
        .await?;
    field("form button[type=submit]").await?.click().await?;
    Ok(())
}

/// Sign in through the form and wait for a signed-in page.
pub async fn sign_in(page: &Client, app: &WebApp, username: &str) -> anyhow::Result<()> {
    page.goto(&app.url("/sign-in")).await?;
    send_sign_in(page, username, PASSWORD).await?;
    text_of(page, "[data-test=who]").await?;
    Ok(())
}

/// The text of the first element matching `css`, once there is one.
pub async fn text_of(page: &Client, css: &str) -> anyhow::Result<String> {
    let element = page
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await?;
    Ok(element.text().await?)
}
