package sdk

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/surrealauth/surrealauth/sdk/internal/testserver"
)

func pemKey(t testing.TB, kind string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}))
}

// TestVerificationKey defines a record access signed with ES256 (a key
// pair made here), then checks that a client holding the public key marks
// the session Verified, and that one holding another key refuses the token
// and leaves the server session as it was.
func TestVerificationKey(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
		priv, _ := x509.MarshalPKCS8PrivateKey(key)
		access := fmt.Sprintf("es%d", emailSeq.Add(1))
		admin := dial(t, srv.URL)
		if _, err := admin.Signin(bg, Credentials{Username: "root", Password: "root"}); err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf(`USE NS %s DB %s; DEFINE ACCESS %s ON DATABASE TYPE RECORD
			SIGNUP ( CREATE plainuser SET email = $email, pass = $password )
			SIGNIN ( SELECT * FROM plainuser WHERE email = $email AND pass = $password )
			WITH JWT ALGORITHM ES256 KEY %q WITH ISSUER KEY %q;`,
			testNS, testDB, access, pemKey(t, "PUBLIC KEY", pub), pemKey(t, "PRIVATE KEY", priv))
		if _, err := admin.call(bg, "query", opOther, q); err != nil {
			t.Fatalf("define access: %v", err)
		}

		good := dial(t, srv.URL, WithVerificationKey(&key.PublicKey))
		email := newEmail("es")
		if _, err := good.Signup(bg, record(access, email, "pw")); err != nil {
			t.Fatal(err)
		}
		if s := good.Session(); !s.Verified {
			t.Fatalf("session not verified: %v", s)
		}

		bad := dial(t, srv.URL, WithVerificationKey(&other.PublicKey))
		_, err := bad.Signin(bg, record(access, email, "pw"))
		mustCode(t, err, CodeTokenInvalid)
		if bad.Session() != nil {
			t.Fatal("a token that does not verify made a session")
		}
		if v := rawInfoNS(t, bad); v != nil && v != (None{}) {
			t.Fatalf("the server session kept the refused identity: %v", v)
		}
		// Without a key, the same token is accepted unverified.
		plain := dial(t, srv.URL)
		if _, err := plain.Signin(bg, record(access, email, "pw")); err != nil || plain.Session().Verified {
			t.Fatalf("unverified client: %v %v", plain.Session(), err)
		}
	})
}
