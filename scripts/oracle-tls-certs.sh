#!/usr/bin/env bash
# Regenerates the real-client oracle's "corporate CA" certificates (tests/support/mitm.rs,
# the `tls-` setups of fixtures/oracle/setups.json): a throw-away CA and a leaf for
# kaggle.com / *.kaggle.com signed by it, with which the oracle's TLS-inspecting proxy
# re-signs the clients' HTTPS to their production URLs.
#
# THESE KEYS ARE PUBLIC TEST MATERIAL, committed on purpose. Never trust ca.pem anywhere but
# in the oracle's throw-away HOMEs: anyone can sign anything with it. (The CA's own key is not
# kept: the leaf is all the proxy needs.)
#
# Both certificates are valid for ~100 years, ECDSA P-256, with the extensions strict
# verifiers ask for (Python's ssl with VERIFY_X509_STRICT, rustls/webpki).
#   scripts/oracle-tls-certs.sh [DIR]   (default: fixtures/oracle/tls)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-fixtures/oracle/tls}"
mkdir -p "$dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
days=36500

cat >"$work/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca
[dn]
CN = oracle throw-away CA (public test key, never trust)
O = kaggle-auth-doctor tests
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF

cat >"$work/leaf.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = kaggle.com
O = kaggle-auth-doctor tests
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:kaggle.com, DNS:*.kaggle.com, DNS:www.kaggle.com, DNS:api.kaggle.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key"
openssl req -new -x509 -config "$work/ca.cnf" -key "$work/ca.key" -sha256 -days "$days" -out "$dir/ca.pem"

# genpkey writes PKCS#8 ("BEGIN PRIVATE KEY"), the form the proxy loads.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/kaggle.com.key"
openssl req -new -config "$work/leaf.cnf" -key "$dir/kaggle.com.key" -out "$work/leaf.csr"
openssl x509 -req -in "$work/leaf.csr" -CA "$dir/ca.pem" -CAkey "$work/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
  -sha256 -days "$days" -extfile "$work/leaf.cnf" -extensions leaf -out "$dir/kaggle.com.pem"

openssl verify -x509_strict -purpose sslserver -CAfile "$dir/ca.pem" "$dir/kaggle.com.pem"
