package sdk

import (
	"testing"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// verifierFunc adapts a function to Verifier. The real one, for public-key
// algorithms, is in the verify package and tested there.
type verifierFunc func(string) (Claims, error)

func (f verifierFunc) Verify(tok string) (Claims, error) { return f(tok) }

// TestVerifierGate: a token the verifier accepts makes a Verified session;
// one it refuses makes none, and the server session is rolled back so that
// client and server agree nobody is signed in.
func TestVerifierGate(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		accept := dial(t, srv.URL, WithVerifier(verifierFunc(ParseClaims)))
		if _, err := accept.Signin(bg, Credentials{Username: "root", Password: "root"}); err != nil {
			t.Fatal(err)
		}
		if !accept.Session().Verified {
			t.Fatal("session not marked Verified")
		}
		refuse := dial(t, srv.URL, WithVerifier(verifierFunc(func(string) (Claims, error) {
			return Claims{}, newError(CodeTokenInvalid, "signature does not verify")
		})))
		_, err := refuse.Signup(bg, record("allusers", newEmail("refused"), "pw"))
		mustCode(t, err, CodeTokenInvalid)
		if refuse.Session() != nil {
			t.Fatal("a refused token made a session")
		}
		if v := rawInfoNS(t, refuse); v != nil && v != (None{}) {
			t.Fatalf("the server kept the refused identity: %v", v)
		}
		plain := dial(t, srv.URL)
		if _, err := plain.Signin(bg, Credentials{Username: "root", Password: "root"}); err != nil || plain.Session().Verified {
			t.Fatalf("a client without a verifier: %v %v", plain.Session(), err)
		}
	})
}
