//! The command as an operator runs it: create an account, serve with the demonstration data,
//! answer requests, stop cleanly on SIGTERM.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fabrique() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fabrique"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A fresh empty database of the backend, kept while the value lives.
fn database(backend: store::Backend) -> store::testing::TestDatabase {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(store::testing::TestDatabase::create(backend)).expect("test database")
}

#[test]
fn serves_the_demo_and_stops_cleanly_on_sigterm_on_sqlite() {
    let db = database(store::Backend::Sqlite);
    // A file in a folder that does not exist yet, as the default `data/fabrique.db` is.
    serves_the_demo_and_stops_cleanly_on_sigterm(&db.url.replace("test.db", "data/fabrique.db"));
}

#[test]
fn serves_the_demo_and_stops_cleanly_on_sigterm_on_postgres() {
    let db = database(store::Backend::Postgres);
    serves_the_demo_and_stops_cleanly_on_sigterm(&db.url);
}

fn serves_the_demo_and_stops_cleanly_on_sigterm(url: &str) {
    let url = url.to_owned();

    let mut create = fabrique()
        .args([
            "user",
            "create",
            "--database-url",
            &url,
            "--email",
            "camille@exemple.fr",
            "--role",
            "organiser",
        ])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("user create");
    create.stdin.take().expect("stdin").write_all(b"un mot de passe assez long\n").expect("password");
    assert!(create.wait_with_output().expect("user create ends").status.success());

    let mut short = fabrique()
        .args(["user", "create", "--database-url", &url, "--email", "b@exemple.fr", "--password-stdin"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("user create");
    short.stdin.take().expect("stdin").write_all(b"court").expect("password");
    let refused = short.wait_with_output().expect("ends");
    assert!(!refused.status.success(), "a short password is refused");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("12 characters"));

    let port = free_port();
    let mut server = fabrique()
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}"), "--database-url", &url])
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let started = Instant::now();
    let page = loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let request = "GET /programmes/villes-pairs/sessions/seconde-session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            stream.write_all(request.as_bytes()).expect("request");
            let mut response = String::new();
            std::io::Read::read_to_string(&mut stream, &mut response).expect("response");
            break response;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Seconde session"));

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let status = server.wait().expect("server ends");
    assert!(status.success(), "SIGTERM ends the server with status 0, got {status}");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().expect("stderr"), &mut log).expect("log");
    assert!(
        log.contains("path=/programmes/villes-pairs/sessions/seconde-session"),
        "one log line per request:\n{log}"
    );
}
