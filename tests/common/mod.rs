//! Shared test helpers: building JSONL lines, running the binary, a loopback HTTP server.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64_simd::STANDARD;

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new("fixtures/formats").join(name)).unwrap()
}

pub fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!("data:{mime};base64,{}", STANDARD.encode_to_string(bytes))
}

/// One training example whose user message carries `urls` as image blocks.
pub fn example(urls: &[&str]) -> String {
    let mut blocks = vec![serde_json::json!({"type": "text", "text": "What is in this image?"})];
    for u in urls {
        blocks.push(
            serde_json::json!({"type": "image_url", "image_url": {"url": u, "detail": "high"}}),
        );
    }
    serde_json::json!({"messages": [
        {"role": "system", "content": "You describe images."},
        {"role": "user", "content": blocks},
        {"role": "assistant", "content": "A yellow disc and a red square on blue."}
    ]})
    .to_string()
}

pub fn text_example() -> String {
    r#"{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}"#
        .to_owned()
}

pub fn write_jsonl(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let p = dir.join(name);
    let mut s = lines.join("\n");
    s.push('\n');
    std::fs::write(&p, s).unwrap();
    p
}

pub fn prescreen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .args(args)
        // Every test screens afresh unless it names a cache (`--cache DIR`): a result read
        // from another test's scan would test nothing.
        .env("PRESCREEN_RESULT_CACHE", "off")
        .output()
        .expect("run prescreen")
}

/// Run `scan` with `--json` into the temp dir and return (exit code, report).
pub fn scan_json(input: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let out_path = input.with_extension("report.json");
    // The same input is often scanned twice: the report is replaced on purpose.
    let mut args = vec![
        "scan",
        input.to_str().unwrap(),
        "--json",
        out_path.to_str().unwrap(),
        "--force",
    ];
    args.extend_from_slice(extra);
    let out = prescreen(&args);
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_path).unwrap()).expect("report is JSON");
    (code, report)
}

pub fn image(report: &serde_json::Value, ex: usize, img: usize) -> &serde_json::Value {
    &report["examples"][ex]["images"][img]
}

pub fn reasons(v: &serde_json::Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect()
}

/// A loopback HTTP/1.1 server with the routes the URL tests need. Each connection gets a
/// thread; `requests` counts requests, `bytes_sent` what `/huge` managed to write.
pub struct Server {
    pub base: String,
    pub requests: Arc<AtomicUsize>,
    pub bytes_sent: Arc<AtomicU64>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let bytes_sent = Arc::new(AtomicU64::new(0));
        let (r, b) = (requests.clone(), bytes_sent.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, b) = (r.clone(), b.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, &r, &b);
                });
            }
        });
        Server {
            base,
            requests,
            bytes_sent,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn handle(mut s: TcpStream, requests: &AtomicUsize, sent: &AtomicU64) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(s.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let respond = |s: &mut TcpStream,
                   status: &str,
                   ctype: &str,
                   body: &[u8]|
     -> std::io::Result<()> {
        write!(
            s,
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )?;
        s.write_all(body)
    };
    match path.as_str() {
        p if p.starts_with("/ok.png") => respond(&mut s, "200 OK", "image/png", &fixture("rgb.png")),
        "/gray.png" => respond(&mut s, "200 OK", "image/png", &fixture("l.png")),
        "/face.jpg" => respond(
            &mut s,
            "200 OK",
            "image/jpeg",
            &std::fs::read("fixtures/screening/images/face_frontal__astronaut.jpg").unwrap(),
        ),
        "/policy.jpg" => respond(
            &mut s,
            "200 OK",
            "image/jpeg",
            &std::fs::read("fixtures/policy/images/aratea_aquarius.jpg").unwrap(),
        ),
        "/mislabelled.png" => respond(&mut s, "200 OK", "image/png", &fixture("rgb.jpg")),
        "/page" => respond(&mut s, "200 OK", "text/html", b"<!DOCTYPE html><html><body>hello</body></html>"),
        "/missing.png" => respond(&mut s, "404 Not Found", "text/plain", b"not found"),
        "/error.png" => respond(&mut s, "500 Internal Server Error", "text/plain", b"oops"),
        "/redirect.png" => write!(
            s,
            "HTTP/1.1 302 Found\r\nLocation: /ok.png\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        "/loop.png" => write!(
            s,
            "HTTP/1.1 302 Found\r\nLocation: /loop.png\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        "/hang.png" => {
            // Accept the request and never answer (bounded, so the thread ends by itself).
            std::thread::sleep(Duration::from_secs(20));
            Ok(())
        }
        "/trickle.png" => {
            // A valid header, then one byte every 200 ms for up to a minute: each read is
            // quick, the whole download is not.
            write!(s, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 300\r\nConnection: close\r\n\r\n")?;
            for b in fixture("rgb.png").iter().cycle().take(300) {
                s.write_all(&[*b])?;
                s.flush()?;
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok(())
        }
        "/huge-declared.png" => write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 52428800\r\nConnection: close\r\n\r\n"
        ),
        "/huge.png" => {
            // 50 MB without a Content-Length: the client must stop reading after 10 MB + 1.
            write!(s, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n")?;
            let mut chunk = fixture("rgb.png");
            chunk.resize(64 * 1024, 0);
            for _ in 0..800 {
                s.write_all(&chunk)?;
                sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
            Ok(())
        }
        _ => respond(&mut s, "404 Not Found", "text/plain", b"no route"),
    }?;
    let _ = s.flush();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    Ok(())
}

/// Assert a run's exit code, showing its stderr when it differs.
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every line of a JSONL file, parsed.
pub fn read_jsonl(p: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
