//! Slow clients on real sockets (`api::serve`): a client that stalls or trickles its request
//! head is disconnected at `LECTERN_HEADER_READ_TIMEOUT` while everyone else is served, and
//! shutdown still lets requests in flight finish, up to the grace.

use std::time::Duration;

use api::{ApiConfig, Application, Deps};
use domain::Role;
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::helpers::{TestApp, keys_for, photosynthesis, problem, problem_type, spawn_app_with};

/// Far above the 1 s timeout the tests configure: they check that a connection is cut, not
/// how fast.
const CUT_WITHIN: Duration = Duration::from_secs(10);

/// The HTTP/2 connection preface, then an empty SETTINGS frame.
const H2_PREFACE_AND_SETTINGS: &[u8] =
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

fn host_port(address: &str) -> String {
    address.trim_start_matches("http://").to_owned()
}

/// How a connection ended, from the client's side.
#[derive(Debug)]
enum Ending {
    /// The server closed (or reset) it after sending this.
    Closed { sent: String },
    /// Still open when the test stopped waiting.
    StillOpen,
}

/// Read what the server sends until it closes the connection or `within` passes.
async fn ending(stream: &mut TcpStream, within: Duration) -> Ending {
    let deadline = Instant::now() + within;
    let mut sent = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => {
                let sent = String::from_utf8_lossy(&sent).into_owned();
                return Ending::Closed { sent };
            }
            Ok(Ok(n)) => sent.extend_from_slice(&buffer[..n]),
            Err(_) => return Ending::StillOpen,
        }
    }
}

/// The connection is closed within [`CUT_WITHIN`], with nothing or a `408` sent first.
async fn assert_cut(stream: &mut TcpStream, what: &str) {
    match ending(stream, CUT_WITHIN).await {
        Ending::Closed { sent } if sent.is_empty() || sent.starts_with("HTTP/1.1 408") => {}
        // An h2c client gets the server's SETTINGS (and perhaps a GOAWAY), not HTTP/1 text.
        Ending::Closed { .. } if what.starts_with("h2c") => {}
        other => panic!("{what}: {other:?}"),
    }
}

/// Send one byte of an endless request head every 200 ms until the server stops reading.
fn trickle(mut writer: OwnedWriteHalf, head: &'static [u8]) -> JoinHandle<()> {
    tokio::spawn(async move {
        let endless = head.iter().chain(std::iter::repeat(&b'a'));
        for byte in endless {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
}

async fn healthy(app: &TestApp) {
    let response = app
        .client
        .get(app.url("/health/live"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn clients_stalling_their_request_head_are_disconnected_at_the_header_read_timeout() {
    let app = spawn_app_with(|config| config.header_read_timeout_secs = 1).await;
    let stalls: [(&str, &[u8]); 5] = [
        ("nothing sent", b""),
        ("half a request line", b"GET /health/li"),
        (
            "headers without their end",
            b"GET /health/live HTTP/1.1\r\nHost: x\r\n",
        ),
        ("h2c: half the preface", b"PRI * HTTP/2.0\r\n"),
        ("h2c: the preface, then no request", H2_PREFACE_AND_SETTINGS),
    ];
    let mut streams = Vec::new();
    for (what, sent) in stalls {
        let mut stream = TcpStream::connect(host_port(&app.address)).await.unwrap();
        stream.write_all(sent).await.unwrap();
        streams.push((what, stream));
    }

    for (what, stream) in &mut streams {
        assert_cut(stream, what).await;
    }
    healthy(&app).await;
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_disconnected_at_the_header_read_timeout() {
    let app = spawn_app_with(|config| config.header_read_timeout_secs = 1).await;
    let stream = TcpStream::connect(host_port(&app.address)).await.unwrap();
    let (mut reader, writer) = stream.into_split();
    let trickling = trickle(writer, b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ");

    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    let read = tokio::time::timeout(CUT_WITHIN, reader.read(&mut buffer)).await;

    let waited = started.elapsed();
    // Closed (EOF or reset), or a 408 then closed; never a `200` for the finished head.
    match read {
        Ok(Ok(0) | Err(_)) => {}
        Ok(Ok(n)) => {
            let sent = String::from_utf8_lossy(&buffer[..n]);
            assert!(sent.starts_with("HTTP/1.1 408"), "{sent}");
        }
        Err(_) => panic!("still open after {waited:?}"),
    }
    // Cut by the timeout, not at once: it had been trickling for a while.
    assert!(waited >= Duration::from_millis(500), "{waited:?}");
    trickling.abort();
    healthy(&app).await;
}

#[tokio::test]
async fn a_kept_alive_connection_trickling_its_next_request_or_idle_is_disconnected_too() {
    let app = spawn_app_with(|config| config.header_read_timeout_secs = 1).await;
    let request = b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut idle = TcpStream::connect(host_port(&app.address)).await.unwrap();
    let mut trickling = TcpStream::connect(host_port(&app.address)).await.unwrap();
    for stream in [&mut idle, &mut trickling] {
        stream.write_all(request).await.unwrap();
        let mut buffer = [0u8; 1024];
        let n = stream.read(&mut buffer).await.unwrap();
        let answer = String::from_utf8_lossy(&buffer[..n]);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    let (mut reader, writer) = trickling.into_split();
    let trickler = trickle(writer, b"GET /health/live HTTP/1.1\r\nX-Slow: ");

    assert_cut(&mut idle, "an idle keep-alive connection").await;
    let mut buffer = [0u8; 1024];
    let read = tokio::time::timeout(CUT_WITHIN, reader.read(&mut buffer)).await;
    assert!(
        matches!(read, Ok(Ok(0) | Err(_))),
        "the trickling connection: {read:?}"
    );
    trickler.abort();
}

#[tokio::test]
async fn while_many_clients_stall_their_headers_others_are_served() {
    // A timeout far longer than the test: the stalled connections stay open throughout.
    let app = spawn_app_with(|config| config.header_read_timeout_secs = 60).await;
    let mut stalled = Vec::new();
    let mut tricklers = Vec::new();
    for n in 0..50 {
        let mut stream = TcpStream::connect(host_port(&app.address)).await.unwrap();
        if n % 2 == 0 {
            stream
                .write_all(b"POST /v1/lessons HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
            stalled.push(stream);
        } else {
            let (reader, writer) = stream.into_split();
            tricklers.push((reader, trickle(writer, b"GET / HTTP/1.1\r\nX-Slow: ")));
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let teacher = app.user(Role::Teacher);
    for _ in 0..5 {
        healthy(&app).await;
    }
    app.draft_lesson(&teacher, photosynthesis()).await;

    for stream in &mut stalled {
        let ending = ending(stream, Duration::from_millis(10)).await;
        assert!(matches!(ending, Ending::StillOpen), "{ending:?}");
    }
    for (_, trickler) in tricklers {
        trickler.abort();
    }
}

#[tokio::test]
async fn anonymous_clients_are_rate_limited_by_their_peer_address() {
    // Without the peer's address (`ConnectInfo`) an anonymous request is not rate limited.
    let app = spawn_app_with(|config| {
        config.rate_limit_per_second = 1;
        config.rate_limit_burst = 3;
        config.rate_limit_loopback = true;
    })
    .await;
    let mut throttled = None;
    for _ in 0..20 {
        let response = app
            .client
            .get(app.url("/health/live"))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(response);
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = throttled.expect("the anonymous client is throttled");
    let problem = problem(response, 429).await;
    assert_eq!(problem["type"], problem_type("too-many-requests"));
}

#[tokio::test]
async fn h2c_with_prior_knowledge_is_still_served() {
    let app = spawn_app_with(|_| {}).await;
    let mut stream = TcpStream::connect(host_port(&app.address)).await.unwrap();
    stream.write_all(H2_PREFACE_AND_SETTINGS).await.unwrap();

    // The server's first frame is its SETTINGS: a 9-byte header whose type (byte 3) is 4.
    let mut frame_header = [0u8; 9];
    tokio::time::timeout(CUT_WITHIN, stream.read_exact(&mut frame_header))
        .await
        .expect("an answer in time")
        .expect("a frame header");
    assert_eq!(frame_header[3], 0x4, "{frame_header:?}");
}

/// A server whose shutdown the test triggers.
struct Stoppable {
    address: String,
    teacher_token: String,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    _db: testkit::TestDb,
}

async fn spawn_stoppable(configure: impl FnOnce(&mut ApiConfig)) -> Stoppable {
    let db = testkit::TestDb::create().await.expect("a test database");
    let store = eventstore::EventStore::start(db.pool.clone())
        .await
        .expect("the event store starts");
    let mut config = ApiConfig::with_secret("s".repeat(32));
    config.listen = "127.0.0.1:0".parse().unwrap();
    configure(&mut config);
    let teacher_token = keys_for(config.jwt_secret.expose_secret())
        .issue(
            uuid::Uuid::now_v7(),
            Role::Teacher,
            api::auth::TokenType::Access,
        )
        .unwrap();
    let app = Application::build(config, Deps { store, nats: None })
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    Stoppable {
        address,
        teacher_token,
        stop,
        server,
        _db: db,
    }
}

/// A lesson draft whose head is sent and whose body is held back: it is in flight.
async fn start_drafting(server: &Stoppable) -> (TcpStream, Vec<u8>) {
    let body = serde_json::to_vec(&photosynthesis()).unwrap();
    let head = format!(
        "POST /v1/lessons HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.teacher_token,
        body.len()
    );
    let mut stream = TcpStream::connect(host_port(&server.address))
        .await
        .unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    // Let the head reach the handler, which now waits for the body.
    tokio::time::sleep(Duration::from_millis(300)).await;
    (stream, body[10..].to_vec())
}

/// Wait until the server no longer accepts connections.
async fn until_refused(address: &str) {
    let deadline = Instant::now() + CUT_WITHIN;
    while TcpStream::connect(host_port(address)).await.is_ok() {
        assert!(Instant::now() < deadline, "still accepting");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn shutdown_stops_accepting_and_lets_a_request_in_flight_finish() {
    let server = spawn_stoppable(|config| config.shutdown_grace_secs = 30).await;
    let (mut stream, rest) = start_drafting(&server).await;

    server.stop.send(()).unwrap();
    until_refused(&server.address).await;
    stream.write_all(&rest).await.unwrap();

    match ending(&mut stream, CUT_WITHIN).await {
        Ending::Closed { sent } => {
            assert!(sent.starts_with("HTTP/1.1 201"), "{sent}");
            assert!(sent.to_lowercase().contains("connection: close"), "{sent}");
        }
        other => panic!("{other:?}"),
    }
    let served = tokio::time::timeout(CUT_WITHIN, server.server).await;
    assert!(matches!(served, Ok(Ok(Ok(())))), "{served:?}");
}

#[tokio::test]
async fn a_request_still_in_flight_after_the_shutdown_grace_is_dropped() {
    let server = spawn_stoppable(|config| config.shutdown_grace_secs = 1).await;
    let (mut stream, _never_sent) = start_drafting(&server).await;
    let started = Instant::now();

    server.stop.send(()).unwrap();
    let served = tokio::time::timeout(CUT_WITHIN, server.server).await;

    assert!(matches!(served, Ok(Ok(Ok(())))), "{served:?}");
    assert!(started.elapsed() >= Duration::from_millis(900));
    match ending(&mut stream, CUT_WITHIN).await {
        Ending::Closed { sent } => assert!(sent.is_empty(), "{sent}"),
        other => panic!("{other:?}"),
    }
}
