//! Network-level problems, reported as such and never as credential problems: DNS,
//! refused connections, TLS, 429 with `Retry-After`, proxies (including kaggle.json's
//! `proxy`, which newer clients ignore) and clock skew from the server's `Date` header.

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::matrix::{Cell, Net, Outcome};

/// More than this between our clock and the server's is worth a finding.
const MAX_SKEW_SECS: i64 = 5 * 60;

/// Specific findings for inconclusive failures of the effective credential (empty when
/// only the generic `api-unreachable` fits).
pub(super) fn explain(input: &Input, failing: &[&Cell]) -> Vec<Finding> {
    let mut out = Vec::new();
    let root = &input.root;
    let has = |net: Net| failing.iter().any(|c| c.net == Some(net));
    let proxy = proxy_note(input);
    if has(Net::Dns) {
        out.push(Finding::new(
            Code::DnsFailure,
            Severity::Error,
            Vec::new(),
            format!("the API host of {root} does not resolve (DNS)"),
            format!("No credential was judged: the name lookup failed before any request.{proxy}"),
            vec![
                Step::Note("check the network and DNS (e.g. `getent hosts api.kaggle.com`), then:".into()),
                fix::recheck(),
            ],
        ));
    }
    if has(Net::Refused) {
        out.push(Finding::new(
            Code::ConnectionRefused,
            Severity::Error,
            Vec::new(),
            format!("nothing accepts connections at {root}"),
            format!("The connection was refused: a wrong --endpoint or KAGGLE_API_ENVIRONMENT, a firewall, or a proxy that is down.{proxy}"),
            vec![Step::Note("check the API root and proxy settings, then:".into()), fix::recheck()],
        ));
    }
    if has(Net::Tls) {
        let detail =
            failing.iter().find(|c| c.net == Some(Net::Tls)).and_then(|c| c.message.clone()).unwrap_or_default();
        out.push(Finding::new(
            Code::TlsFailure,
            Severity::Error,
            Vec::new(),
            format!("the TLS handshake with {root} failed"),
            format!("{detail}. A proxy or antivirus that inspects TLS presents its own certificate, signed by a CA this machine's trust store does not have.{proxy}"),
            tls_steps(input),
        ));
    }
    if let Some(cell) = failing.iter().find(|c| c.outcome == Outcome::RateLimited) {
        let after = cell.retry_after.as_deref().map_or(String::new(), |a| format!(" Kaggle says: Retry-After {a}."));
        out.push(Finding::new(
            Code::RateLimited,
            Severity::Error,
            Vec::new(),
            "Kaggle answered 429 Too Many Requests".into(),
            format!("Rate limited: nothing can be concluded about the credentials until the limit resets.{after}"),
            vec![
                Step::Note(format!(
                    "wait{}, then:",
                    cell.retry_after.as_deref().map_or(String::new(), |a| format!(" ({a})"))
                )),
                fix::recheck(),
            ],
        ));
    }
    out
}

/// `ssl_ca_cert` (kaggle.json's, or `KAGGLE_SSL_CA_CERT`): the CA file of kaggle 1.5/1.6,
/// which every newer client and kagglehub ignore (docs/client-behaviour.md, "TLS trust").
fn ssl_ca_cert_ignored(input: &Input) -> Option<Finding> {
    let n = &input.discovery.network;
    let (path, from) = match (&n.json_ssl_ca_cert, &n.kaggle_ssl_ca_cert) {
        (Some((path, _)), _) => (path, "kaggle.json sets \"ssl_ca_cert\""),
        (None, Some((path, _))) => (path, "KAGGLE_SSL_CA_CERT is set"),
        (None, None) => return None,
    };
    let shown = crate::report::sanitize::untrusted(path);
    let old = crate::client_model::uses_config_proxy_only(input.client);
    let title = if old {
        format!(
            "{from} ({shown}): kaggle {} verifies TLS with it, newer clients and kagglehub do not",
            input.client.version
        )
    } else {
        format!("{from} ({shown}), which kaggle {} ignores", input.client.version)
    };
    Some(Finding::new(
        Code::SslCaCertIgnored,
        if old { Severity::Info } else { Severity::Warning },
        Vec::new(),
        title,
        "Only kaggle 1.5/1.6 verify TLS with `ssl_ca_cert`; kaggle 1.7+ and kagglehub read REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE) and nothing else.".into(),
        vec![Step::Set("REQUESTS_CA_BUNDLE", shown.clone()), fix::recheck()],
    ))
}

/// How to make the client trust an inspecting proxy's CA: `REQUESTS_CA_BUNDLE`, which
/// kaggle 1.5/1.6 never read (their HTTP layer is urllib3): for them, an upgrade or
/// kaggle.json's `ssl_ca_cert`.
fn tls_steps(input: &Input) -> Vec<Step> {
    let note = "if your network inspects TLS, get its CA certificate (PEM) from IT and point the client at it:";
    if !crate::client_model::uses_config_proxy_only(input.client) {
        return vec![
            Step::Note(note.into()),
            Step::Set("REQUESTS_CA_BUNDLE", "/path/to/corporate-ca.pem".into()),
            fix::recheck(),
        ];
    }
    vec![
        Step::Note(format!(
            "{note} kaggle {} does not read REQUESTS_CA_BUNDLE; newer clients do:",
            input.client.version
        )),
        Step::PipUpgrade("kaggle".into()),
        Step::Set("REQUESTS_CA_BUNDLE", "/path/to/corporate-ca.pem".into()),
        Step::Note("or keep this client and add \"ssl_ca_cert\": \"/path/to/corporate-ca.pem\" to kaggle.json".into()),
        fix::recheck(),
    ]
}

fn proxy_note(input: &Input) -> String {
    let n = &input.discovery.network;
    match n.https_proxy.as_ref().or(n.http_proxy.as_ref()) {
        Some(_) => " A proxy is configured (HTTPS_PROXY/HTTP_PROXY): check it too.".into(),
        None => String::new(),
    }
}

/// Findings about the network setup, whatever the verdict.
pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    out.extend(root_not_kaggle(input));
    let d = input.discovery;
    let n = &d.network;
    if let Some(proxy) = n.https_proxy.as_ref().or(n.http_proxy.as_ref()) {
        let failed = input.cells.iter().any(|c| c.outcome.is_inconclusive());
        let no_proxy = n.no_proxy.as_deref().map_or(String::new(), |np| format!(" NO_PROXY={np}."));
        out.push(Finding::new(
            Code::ProxyInUse,
            if failed { Severity::Warning } else { Severity::Info },
            Vec::new(),
            format!("requests go through the proxy {}", redact_userinfo(proxy)),
            format!("HTTPS_PROXY/HTTP_PROXY are honoured by the client (kaggle 1.7+) and by the doctor.{no_proxy} A proxy that needs authentication answers 407; one that inspects TLS needs REQUESTS_CA_BUNDLE."),
            Vec::new(),
        ));
    }
    let json_proxy = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok()).and_then(|j| j.proxy.clone());
    if let Some(proxy) = json_proxy {
        let v16 = !input.client.parsed.at_least(&[1, 7]);
        out.push(Finding::new(
            Code::KaggleJsonProxyIgnored,
            if v16 { Severity::Info } else { Severity::Warning },
            Vec::new(),
            if v16 {
                format!("kaggle.json sets proxy {}: kaggle 1.5/1.6 use it, newer clients do not", redact_userinfo(&proxy))
            } else {
                format!(
                    "kaggle.json sets proxy {}, which kaggle {} ignores",
                    redact_userinfo(&proxy),
                    input.client.version
                )
            },
            "Only kaggle 1.5/1.6 read the `proxy` field of kaggle.json; 1.7+ take the proxy from HTTPS_PROXY/HTTP_PROXY."
                .into(),
            vec![Step::Set("HTTPS_PROXY", redact_userinfo(&proxy)), fix::recheck()],
        ));
    }
    out.extend(ssl_ca_cert_ignored(input));
    let server = input.cells.iter().find_map(|c| unix_of_http_date(c.date.as_deref()?));
    if let Some((minutes, way)) = server.and_then(|server| clock_skew(server, d.now)) {
        out.push(Finding::new(
            Code::ClockSkew,
            Severity::Warning,
            Vec::new(),
            format!("this machine's clock is {minutes} minutes {way} Kaggle's"),
            "Token and OAuth expiry are judged with the local clock: a skewed clock makes valid tokens look expired (or expired ones valid).".into(),
            vec![Step::PerShell { sh: "sudo timedatectl set-ntp true".into(), powershell: "w32tm /resync".into() }, fix::recheck()],
        ));
    }
}

/// Credentials go to whatever `--endpoint` names: say so when it is not Kaggle. Loopback
/// roots (a local fake, `KAGGLE_API_ENVIRONMENT=LOCALHOST`) are deliberate and exempt.
fn root_not_kaggle(input: &Input) -> Option<Finding> {
    let host = reqwest::Url::parse(&input.root).ok()?.host_str()?.trim_matches(['[', ']']).to_lowercase();
    let kaggle = host == "kaggle.com" || host.ends_with(".kaggle.com");
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if kaggle || loopback {
        return None;
    }
    Some(Finding::new(
        Code::ApiRootNotKaggle,
        Severity::Warning,
        Vec::new(),
        format!("the API root {} is not a Kaggle host: every credential probed was sent there", input.root),
        "Each usable credential on this machine goes to the API root. Use --endpoint only with a server you trust; the default is https://api.kaggle.com/v1.".into(),
        vec![Step::Run("kaggle-auth-doctor   # without --endpoint".into())],
    ))
}

/// A proxy URL without its userinfo. The userinfo ends at the *last* `@` (a password
/// may hold `@`; Python's urllib splits there too), so no part of a password remains.
pub fn redact_userinfo(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://[redacted]@{host}"),
            None => url.to_string(),
        },
        None => url.rsplit_once('@').map_or(url.to_string(), |(_, host)| format!("[redacted]@{host}")),
    }
}

/// Unix seconds of an HTTP `Date` header (IMF-fixdate and the two obsolete forms).
/// How far this machine's clock (`now`) is off the server's, in whole minutes, and which
/// way, when beyond [`MAX_SKEW_SECS`]. Computed in i128 so no pair of timestamps, however
/// absurd, overflows or flips the direction.
fn clock_skew(server: i64, now: i64) -> Option<(u128, &'static str)> {
    let skew = i128::from(server) - i128::from(now);
    if skew.unsigned_abs() <= u128::from(MAX_SKEW_SECS.unsigned_abs()) {
        return None;
    }
    // The server is later than this machine: this machine is behind.
    Some((skew.unsigned_abs() / 60, if skew > 0 { "behind" } else { "ahead of" }))
}

fn unix_of_http_date(text: &str) -> Option<i64> {
    let time = httpdate::parse_http_date(text.trim()).ok()?;
    let secs = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_skew_never_overflows_and_names_the_direction() {
        assert_eq!(clock_skew(1_000_000, 1_000_000), None);
        assert_eq!(clock_skew(1_000_000 + 3600, 1_000_000), Some((60, "behind")));
        assert_eq!(clock_skew(1_000_000, 1_000_000 + 3600), Some((60, "ahead of")));
        assert_eq!(clock_skew(i64::MAX, i64::MIN).map(|s| s.1), Some("behind"));
        assert_eq!(clock_skew(i64::MIN, i64::MAX).map(|s| s.1), Some("ahead of"));
        assert_eq!(clock_skew(0, i64::MIN).map(|s| s.1), Some("behind"));
        assert_eq!(clock_skew(253_402_300_799, -62_135_596_800).map(|s| s.1), Some("behind"));
    }

    #[test]
    fn proxy_passwords_are_redacted() {
        assert_eq!(redact_userinfo("http://u:secret@proxy:3128"), "http://[redacted]@proxy:3128");
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(redact_userinfo("http://u:p@ss@w@proxy:3128"), "http://[redacted]@proxy:3128");
        assert_eq!(redact_userinfo("u:p@ss@proxy:3128"), "[redacted]@proxy:3128");
    }
}
