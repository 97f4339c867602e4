//! A running Fabrique for integration tests: a fresh database (SQLite or PostgreSQL), the
//! real router served over TCP on 127.0.0.1, and a browser-like HTTP client with cookies.

use domain::{Email, Role, User};
use reqwest::StatusCode;
use reqwest::cookie::CookieStore;
use std::net::SocketAddr;
use std::sync::Arc;
use store::testing::TestDatabase;
use store::{Actor, Backend, NewUser, Store};

/// Generates one test per backend from an `async fn(TestApp)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::TestApp::spawn(store::Backend::Sqlite).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::support::TestApp::spawn(store::Backend::Postgres).await).await;
                }
            }
        )+
    };
}

/// The password of every account the harness creates.
pub const PASSWORD: &str = "un mot de passe assez long";

/// A server on a fresh database, and a client that keeps cookies like a browser.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The store the server uses, to arrange data and check what was written.
    pub store: Store,
    /// The client: cookies kept, redirects not followed (tests look at them).
    pub client: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    _db: TestDatabase,
}

/// A response read whole.
pub struct Page {
    /// Status.
    pub status: StatusCode,
    /// `Location`, for redirects.
    pub location: Option<String>,
    /// `Content-Type`.
    pub content_type: String,
    /// Body.
    pub body: String,
}

impl Page {
    /// Fails the test with the body when the status is not the one expected.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body:\n{}", self.body);
        self
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn read(response: reqwest::Response) -> Page {
    let status = response.status();
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let location = header(reqwest::header::LOCATION);
    let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
    let body = response.text().await.expect("body");
    Page { status, location, content_type, body }
}

impl TestApp {
    /// Starts a server on a fresh, migrated database of the given backend.
    pub async fn spawn(backend: Backend) -> Self {
        let (db, store) = TestDatabase::store(backend).await.expect("test database");
        Self::serve(db, store).await
    }

    /// Starts a server on an existing store (two servers on one database, for instance).
    pub async fn serve(db: TestDatabase, store: Store) -> Self {
        let state =
            web::AppState::new(store.clone(), web::Settings { public_url: "http://127.0.0.1".into() })
                .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let app = web::router(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self { base: format!("http://{addr}"), store, client, jar, _db: db }
    }

    /// A second server on the same database, with its own client (a second app instance
    /// behind a load balancer).
    pub async fn second_instance(&self) -> (String, Store) {
        let store = Store::connect(&self._db.url).await.expect("second store");
        let state =
            web::AppState::new(store.clone(), web::Settings { public_url: "http://127.0.0.1".into() })
                .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let app = web::router(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (format!("http://{addr}"), store)
    }

    /// The cookies the client would send to the server, as `name=value; …`.
    pub fn cookies(&self) -> String {
        let url: reqwest::Url = self.base.parse().expect("url");
        self.jar.cookies(&url).and_then(|v| v.to_str().ok().map(str::to_owned)).unwrap_or_default()
    }

    fn csrf_cookie(&self) -> Option<String> {
        self.cookies().split("; ").find_map(|c| c.strip_prefix("fabrique_csrf=").map(str::to_owned))
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> Page {
        read(self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")).await
    }

    /// The CSRF token the forms carry, fetching a page first when no cookie is set yet.
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.csrf_cookie() {
            return token;
        }
        self.get("/login").await;
        self.csrf_cookie().expect("the server sets a CSRF cookie")
    }

    /// POST a form as a browser does, with the CSRF token of the session.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// POST a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        read(response).await
    }

    /// Creates an account directly in the store.
    pub async fn user(&self, email: &str, role: Role) -> User {
        self.store
            .create_user(
                &Actor::system(),
                &NewUser {
                    email: Email::parse(email).expect("email"),
                    display_name: email.split('@').next().unwrap_or(email).to_owned(),
                    role,
                    password_hash: web::hash_password(PASSWORD).expect("hash"),
                    territory_id: None,
                },
            )
            .await
            .expect("user")
    }

    /// Creates an account and signs the client in with it.
    pub async fn sign_in_as(&self, email: &str, role: Role) -> User {
        let user = self.user(email, role).await;
        self.post_form("/login", &[("email", email), ("password", PASSWORD)]).await.expect(303);
        user
    }

    /// An API token for an account with the given role.
    pub async fn token(&self, email: &str, role: Role) -> String {
        let user = self.user(email, role).await;
        let (token, hash) = web::new_api_token();
        self.store.create_api_token(&Actor::system(), user.id, "tests", &hash).await.expect("token");
        token
    }

    /// An API call with an optional bearer token and JSON body.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = reqwest::Client::new().request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("API call")).await
    }
}
