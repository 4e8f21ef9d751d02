//! Whether a client's requests get through its own network path at all
//! (docs/client-behaviour.md, "TLS trust" and "kaggle 1.5/1.6 and their own proxy").
//!
//! Judged on the effective row's cells sent the way that client sends them: with its
//! proxy and its TLS trust. Two failures stop every request of the client, whatever the
//! credential: kaggle 1.5/1.6's own proxy (kaggle.json `proxy`, `KAGGLE_PROXY`) that carries
//! nothing, and a certificate the client does not trust (a TLS-inspecting proxy whose CA
//! it was not given) or a CA file it cannot load. Other network failures (a refused
//! connection, a timeout) may be an outage: those leave the prediction alone and the
//! verdict inconclusive.

use super::Effective;
use crate::discover::SourceId;
use crate::matrix::{Cell, Form, Net, Outcome};

/// How a client's requests travel.
pub struct Path {
    /// The request form it sends (legacy REST for kaggle 1.5–1.7 and kagglehub 0.3, else
    /// RPC): only the row's cells of that form count.
    pub form: Form,
    /// Its own config's proxy, shown without its password, with where it is set.
    pub config_proxy: Option<(String, &'static str)>,
    /// What its TLS trust is, in words ("certifi's roots", "the CA bundle …").
    pub trust: String,
}

impl Path {
    /// How the kaggle CLI of `info` sends: kaggle 1.5/1.6 through their config's proxy
    /// with their own `ssl_ca_cert` or certifi (never `REQUESTS_CA_BUNDLE`); newer ones
    /// with the environment's proxies and CA bundle.
    pub fn cli(info: &super::ClientInfo, d: &crate::discover::Discovery) -> Path {
        let legacy = super::legacy_dialect(info).is_some();
        let form = if legacy { Form::Legacy } else { Form::Rpc };
        if !super::uses_config_proxy_only(info) {
            return Path::environment(form, d);
        }
        let config_proxy = super::config_proxy(info, d).map(|(p, from)| (super::redact_proxy(&p), from));
        let trust = match super::config_ca_cert(info, d) {
            Some(((path, _), from)) => format!("the CA file {} ({from})", crate::report::sanitize::untrusted(&path)),
            None => "certifi's roots (kaggle 1.5/1.6 do not read REQUESTS_CA_BUNDLE)".into(),
        };
        Path { form, config_proxy, trust }
    }

    /// Requests sent with the environment's proxies and CA bundle, as `requests` does.
    pub fn environment(form: Form, d: &crate::discover::Discovery) -> Path {
        let trust = match &d.network.ca_bundle {
            Some((path, _)) => format!("the CA bundle {} alone", crate::report::sanitize::untrusted(path)),
            None => "certifi's roots".into(),
        };
        Path { form, config_proxy: None, trust }
    }
}

/// Marks `e` as a client none of whose requests reach Kaggle, when its row's cells sent
/// its way say so. The reason names the cause, and `network_stop` is set: the verdict is
/// the network's (inconclusive: `tls-failure`, `connection-refused`…), never a failure of
/// the credential.
pub fn apply(path: &Path, cells: &[Cell], e: &mut Effective) {
    if e.client_stops {
        return;
    }
    let row = e.source.unwrap_or(SourceId::Anonymous);
    let sent: Vec<&Cell> = cells
        .iter()
        .filter(|c| c.source == row && c.form == path.form && c.header_from.is_none())
        .filter(|c| !matches!(c.outcome, Outcome::NotProbed | Outcome::Skipped))
        .collect();
    if sent.is_empty() || !sent.iter().all(|c| c.outcome.is_network()) {
        return;
    }
    let why = sent[0].message.as_deref().unwrap_or("no answer");
    let all = |net: Net| sent.iter().all(|c| c.net == Some(net));
    let reason = if all(Net::Setup) {
        format!("{why}: none of the client's requests reach Kaggle")
    } else if all(Net::Tls) {
        let trust = &path.trust;
        format!(
            "TLS fails ({why}): the client verifies the certificate with {trust}, so none of its requests reach Kaggle"
        )
    } else if let Some((proxy, from)) = &path.config_proxy {
        format!("the proxy {proxy} ({from}) carries nothing ({why}): no request of the client reaches Kaggle")
    } else {
        return;
    };
    e.network_stop = true;
    e.reasons.push(reason);
    e.client_stops = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_model::Auth;
    use crate::endpoints::EndpointId;

    fn cell(endpoint: EndpointId, form: Form, outcome: Outcome, net: Option<Net>) -> Cell {
        let mut c = Cell::new(SourceId::FileKaggleJson, endpoint, outcome);
        c.form = form;
        c.net = net;
        c.message = Some("invalid peer certificate: UnknownIssuer".into());
        c
    }

    fn effective() -> Effective {
        Effective { source: Some(SourceId::FileKaggleJson), ..Effective::new(Auth::Basic, Vec::new()) }
    }

    fn certifi() -> Path {
        Path { form: Form::Rpc, config_proxy: None, trust: "certifi's roots".into() }
    }

    #[test]
    fn a_certificate_the_client_does_not_trust_stops_every_request() {
        let cells = [
            cell(EndpointId::Whoami, Form::Rpc, Outcome::Network, Some(Net::Tls)),
            cell(EndpointId::CompetitionsList, Form::Rpc, Outcome::Network, Some(Net::Tls)),
        ];
        let mut e = effective();
        apply(&certifi(), &cells, &mut e);
        assert!(e.client_stops && e.network_stop);
        assert!(e.reasons.last().unwrap().contains("certifi's roots"), "{:?}", e.reasons);
    }

    #[test]
    fn an_outage_or_one_answer_leaves_the_prediction_alone() {
        let refused = [cell(EndpointId::Whoami, Form::Rpc, Outcome::Network, Some(Net::Refused))];
        let answered = [
            cell(EndpointId::Whoami, Form::Rpc, Outcome::Network, Some(Net::Tls)),
            cell(EndpointId::CompetitionsList, Form::Rpc, Outcome::Ok, None),
        ];
        for cells in [&refused[..], &answered[..], &[]] {
            let mut e = effective();
            apply(&certifi(), cells, &mut e);
            assert!(!e.client_stops);
        }
    }

    #[test]
    fn only_the_cells_sent_the_clients_way_count() {
        // A legacy client: its legacy requests got through; the RPC whoami it never sends did not.
        let cells = [
            cell(EndpointId::Whoami, Form::Rpc, Outcome::Network, Some(Net::Tls)),
            cell(EndpointId::CompetitionsList, Form::Legacy, Outcome::Ok, None),
        ];
        let mut e = effective();
        apply(&Path { form: Form::Legacy, ..certifi() }, &cells, &mut e);
        assert!(!e.client_stops);
    }

    #[test]
    fn a_dead_config_proxy_stops_on_any_network_failure() {
        let cells = [cell(EndpointId::CompetitionsList, Form::Legacy, Outcome::Network, Some(Net::Refused))];
        let mut e = effective();
        let path =
            Path { form: Form::Legacy, config_proxy: Some(("http://127.0.0.1:9".into(), "KAGGLE_PROXY")), ..certifi() };
        apply(&path, &cells, &mut e);
        assert!(e.client_stops && e.network_stop, "nothing learned about the credential");
        assert!(e.reasons.last().unwrap().contains("carries nothing"));
        // The proxy carried the handshake: a certificate the client refuses is TLS's doing.
        let cells = [cell(EndpointId::CompetitionsList, Form::Legacy, Outcome::Network, Some(Net::Tls))];
        let mut e = effective();
        apply(&path, &cells, &mut e);
        assert!(e.client_stops && e.network_stop, "{:?}", e.reasons);
        assert!(e.reasons.last().unwrap().starts_with("TLS fails"));
    }
}
