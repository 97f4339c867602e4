//! The command as an operator runs it: create an account, serve with the demonstration data,
//! answer requests, stop cleanly on SIGTERM; load the official territory lists.

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

#[test]
fn imports_the_official_lists_twice_on_sqlite() {
    imports_the_official_lists_twice(&database(store::Backend::Sqlite));
}

#[test]
fn imports_the_official_lists_twice_on_postgres() {
    imports_the_official_lists_twice(&database(store::Backend::Postgres));
}

/// Runs `fabrique reference import` with the given extra arguments; returns its status, its
/// standard output and its standard error.
fn import(url: &str, extra: &[&str]) -> (bool, String, String) {
    let output = fabrique()
        .args(["reference", "import", "--database-url", url])
        .args(extra)
        .output()
        .expect("reference import");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

fn imports_the_official_lists_twice(db: &store::testing::TestDatabase) {
    let counts = || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let store = store::Store::connect(&db.url).await.expect("store");
            let counts = store.reference_counts().await.expect("counts");
            let found = store.search_places("evry", 5).await.expect("search");
            store.close().await;
            (counts, found.first().map(|p| p.name.clone()))
        })
    };
    for _ in 0..2 {
        let (ok, out, err) = import(&db.url, &[]);
        assert!(ok, "{err}");
        assert!(
            out.contains("edition 2026: 34969 communes, 1255 EPCI, 109 départements, 26 régions in"),
            "{out}"
        );
        assert!(err.contains("36359 / 36359"), "the progress reaches the end: {err}");
        let (counts, first) = counts();
        assert_eq!(
            (counts.communes, counts.epci, counts.departements, counts.regions),
            (34_969, 1_255, 109, 26),
            "importing again gives the same lists"
        );
        assert_eq!(first.as_deref(), Some("Évry-Courcouronnes"));
    }

    // Another extract replaces the lists; an unreadable one changes nothing and says why.
    let dir = std::env::temp_dir().join(format!("fabrique-extract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).expect("compress");
        std::fs::write(&path, gz.finish().expect("compress")).expect("extract");
        path.display().to_string()
    };
    let small = write(
        "small.tsv.gz",
        "# edition\t2027\nregion\t32\tHauts-de-France\t32\t\t\t\ncommune\t62528\tLoos-en-Gohelle\t32\t62\t6799\t\n",
    );
    let (ok, out, err) = import(&db.url, &["--file", &small]);
    assert!(ok && out.contains("edition 2027: 1 communes, 0 EPCI, 0 départements, 1 régions"), "{out}{err}");
    let broken = write("broken.tsv.gz", "# edition\t2027\ncommune\t62528\tLoos-en-Gohelle\t32\n");
    let (ok, _, err) = import(&db.url, &["--file", &broken]);
    assert!(!ok && err.contains("line 2 of the extract is unreadable"), "{err}");
    let (ok, _, err) = import(&db.url, &["--file", &dir.join("missing.tsv.gz").display().to_string()]);
    assert!(!ok && err.contains("missing.tsv.gz"), "{err}");
    assert_eq!(counts().0.communes, 1, "a refused extract changes nothing");
    let _ = std::fs::remove_dir_all(&dir);
}
