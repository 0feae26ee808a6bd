//! HTTP(S) image fetching with the provider's limits and an SSRF guard: a URL whose host is or
//! resolves to a non-public address is refused before any connection, because the provider
//! could not reach it either.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use reqwest::blocking::Client;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;
use reqwest::Url;

use crate::codes::{Finding, Reason};
pub use crate::options::FetchOptions;
use crate::pipeline::parse::Example;
use crate::pipeline::resolve::{classify, Source};
use crate::text::error_chain;

/// A fetched body, shared by every block that names the same URL.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Arc<Vec<u8>>,
    pub content_type: Option<String>,
}

pub type FetchResult = Result<Fetched, Finding>;

pub struct Fetcher {
    client: Client,
    opts: FetchOptions,
}

/// True for addresses the public internet can route to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x0064 && s[1] == 0xff9b)) // NAT64 of unknown target
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space (CGNAT)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking
        || o[0] >= 240) // reserved
}

/// The reason a URL's host can never be reached by the provider, judged without DNS.
fn non_public_host(url: &Url) -> Option<String> {
    match url.host()? {
        url::Host::Ipv4(ip) if !is_public(IpAddr::V4(ip)) => {
            Some(format!("{ip} is not a public address"))
        }
        url::Host::Ipv6(ip) if !is_public(IpAddr::V6(ip)) => {
            Some(format!("{ip} is not a public address"))
        }
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (d == "localhost" || d.ends_with(".localhost") || !d.contains('.'))
                .then(|| format!("{d} is not a public host name"))
        }
        _ => None,
    }
}

/// Resolves names and refuses any that lead to a non-public address, redirects included.
struct PublicResolver {
    allow_private: bool,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs = tokio::task::spawn_blocking(move || {
                (host.as_str(), 0)
                    .to_socket_addrs()
                    .map(|a| a.collect::<Vec<_>>())
            })
            .await??;
            if !allow {
                if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                    return Err(format!(
                        "{} resolves to {}, which is not a public address",
                        name.as_str(),
                        bad.ip()
                    )
                    .into());
                }
            }
            let it: Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> anyhow::Result<Fetcher> {
        let (limit, allow) = (opts.max_redirects, opts.allow_private);
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > limit {
                return attempt.error(format!("more than {limit} redirects"));
            }
            if !allow {
                if let Some(why) = non_public_host(attempt.url()) {
                    return attempt.error(format!("redirect to a non-public host: {why}"));
                }
            }
            attempt.follow()
        });
        let client = Client::builder()
            .user_agent(concat!("prescreen/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(policy)
            .dns_resolver(Arc::new(PublicResolver {
                allow_private: opts.allow_private,
            }))
            .build()?;
        Ok(Fetcher { client, opts })
    }

    /// Fetch one image URL; every failure is the finding the provider would report, with any
    /// credentials in the URL scrubbed from it.
    pub fn fetch(&self, raw: &str) -> FetchResult {
        let url = Url::parse(raw)
            .map_err(|e| Finding::new(Reason::InaccessibleUrl, format!("not a valid URL: {e}")))?;
        let secrets: Vec<String> = [url.username(), url.password().unwrap_or("")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        self.fetch_url(url).map_err(|mut f| {
            for s in &secrets {
                f.detail = f.detail.replace(s.as_str(), "***");
            }
            f
        })
    }

    fn fetch_url(&self, url: Url) -> FetchResult {
        let started = Instant::now();
        let inaccessible = |d: String| Finding::new(Reason::InaccessibleUrl, d);
        if !matches!(url.scheme(), "http" | "https") {
            return Err(inaccessible(format!(
                "unsupported URL scheme '{}'",
                url.scheme()
            )));
        }
        if !self.opts.allow_private {
            if let Some(why) = non_public_host(&url) {
                return Err(inaccessible(format!(
                    "{why}: the provider cannot reach it (not fetched; --allow-private-urls to fetch anyway)"
                )));
            }
        }
        let resp = self
            .client
            .get(url)
            .send()
            .map_err(|e| inaccessible(describe(&e)))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(inaccessible(format!("HTTP {status}")));
        }
        let max = self.opts.max_bytes;
        if let Some(len) = resp.content_length().filter(|&l| l > max) {
            return Err(Finding::new(
                Reason::ImageTooLarge,
                format!("Content-Length {len} bytes is over the {max} byte limit (not downloaded)"),
            ));
        }
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // `timeout` bounds each read, not the download: a server sending a byte a second
        // would hold a worker forever. The deadline is for the whole body.
        let deadline = started + self.opts.timeout;
        let mut bytes = Vec::new();
        let mut body = resp.take(max + 1);
        let mut chunk = [0u8; 64 * 1024];
        loop {
            if Instant::now() > deadline {
                return Err(inaccessible(format!(
                    "timed out: the download took longer than {:.1} s (--timeout), {} bytes received",
                    self.opts.timeout.as_secs_f64(),
                    bytes.len()
                )));
            }
            match body.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(inaccessible(format!(
                        "reading the body failed: {}",
                        error_chain(&e)
                    )))
                }
            }
        }
        if bytes.len() as u64 > max {
            return Err(Finding::new(
                Reason::ImageTooLarge,
                format!(
                    "body is over the {max} byte limit (download stopped at {} bytes)",
                    max + 1
                ),
            ));
        }
        Ok(Fetched {
            bytes: Arc::new(bytes),
            content_type,
        })
    }
}

/// The http(s) URLs of one window, each fetched once: a group's bodies are fetched before the
/// group is worked on, and a body a later group of the window needs again is kept for it — at
/// most `MAX_URLS_IN_FLIGHT` such bodies (the soonest needed; the others are fetched again),
/// so memory stays bounded whatever the window holds. Failures cost nothing to keep.
pub struct WindowFetch {
    /// The distinct http(s) URLs of each group.
    groups: Vec<Vec<String>>,
    /// The groups that use each URL, ascending.
    uses: HashMap<String, Vec<usize>>,
    held: HashMap<String, FetchResult>,
}

impl WindowFetch {
    /// `groups`: the image URLs (any kind) of each group of the window, in order.
    pub fn new<'u>(groups: impl IntoIterator<Item = impl IntoIterator<Item = &'u str>>) -> Self {
        let mut uses: HashMap<String, Vec<usize>> = HashMap::new();
        let groups: Vec<Vec<String>> = groups
            .into_iter()
            .enumerate()
            .map(|(k, urls)| {
                let mut seen = HashSet::new();
                let mut distinct = Vec::new();
                for u in urls {
                    if let Source::Url(u) = classify(u, Path::new("")) {
                        if seen.insert(u) {
                            uses.entry(u.to_owned()).or_default().push(k);
                            distinct.push(u.to_owned());
                        }
                    }
                }
                distinct
            })
            .collect();
        WindowFetch {
            groups,
            uses,
            held: HashMap::new(),
        }
    }

    /// The fetches of groups of parsed lines (the http(s) images of their valid examples).
    pub fn of_examples<T>(groups: &[Vec<(Example<'_>, T)>]) -> Self {
        Self::new(groups.iter().map(|g| {
            g.iter()
                .filter(|(e, _)| e.is_valid())
                .flat_map(|(e, _)| e.images.iter().map(|i| i.url.as_ref()))
        }))
    }

    /// Everything group `k` needs, fetching what is not held yet (nothing without a fetcher).
    pub fn group(
        &mut self,
        k: usize,
        fetcher: Option<&Fetcher>,
        pool: &rayon::ThreadPool,
    ) -> &HashMap<String, FetchResult> {
        if let Some(f) = fetcher {
            let missing: Vec<&str> = self.groups[k]
                .iter()
                .filter(|u| !self.held.contains_key(*u))
                .map(String::as_str)
                .collect();
            // `groups` holds distinct http(s) URLs already: fetch them as they are.
            if !missing.is_empty() {
                use rayon::prelude::*;
                let got: Vec<(String, FetchResult)> = pool.install(|| {
                    missing
                        .par_iter()
                        .map(|u| (u.to_string(), f.fetch(u)))
                        .collect()
                });
                self.held.extend(got);
            }
        }
        &self.held
    }

    /// Group `k` is done: keep only what later groups need, within the bound.
    pub fn done(&mut self, k: usize) {
        let next_use = |u: &str| {
            self.uses
                .get(u)
                .and_then(|g| g.iter().find(|&&g| g > k).copied())
        };
        let mut bodies: Vec<(usize, &String)> = self
            .held
            .iter()
            .filter(|(_, r)| r.is_ok())
            .filter_map(|(u, _)| next_use(u).map(|g| (g, u)))
            .collect();
        bodies.sort();
        let keep: HashSet<String> = bodies
            .into_iter()
            .take(crate::settings::MAX_URLS_IN_FLIGHT)
            .map(|(_, u)| u.clone())
            .collect();
        let uses = &self.uses;
        self.held.retain(|u, r| {
            let later = uses.get(u).is_some_and(|g| g.iter().any(|&g| g > k));
            later && (r.is_err() || keep.contains(u))
        });
    }
}

fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_redirect() {
        "redirect failed"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    format!("{what}: {}", error_chain(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_non_public_addresses() {
        for a in ["8.8.8.8", "1.1.1.1", "2606:4700::1111"] {
            assert!(is_public(a.parse().unwrap()), "{a}");
        }
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn private_hosts_are_refused_without_fetching() {
        use std::time::Duration;
        let f = Fetcher::new(FetchOptions {
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            max_redirects: 5,
            allow_private: false,
            max_bytes: 100,
        })
        .unwrap();
        for u in [
            "http://127.0.0.1:9/a.png",
            "http://localhost/a.png",
            "http://[::1]/a.png",
            "http://169.254.169.254/latest/meta-data",
            "http://intranet/a.png",
        ] {
            let e = f.fetch(u).unwrap_err();
            assert_eq!(e.reason, Reason::InaccessibleUrl, "{u}");
            assert!(e.detail.contains("not fetched"), "{u}: {}", e.detail);
        }
        assert!(f
            .fetch("ftp://example.com/a.png")
            .unwrap_err()
            .detail
            .contains("scheme"));
    }
}
