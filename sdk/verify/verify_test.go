package verify

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/surrealauth/surrealauth/sdk"
)

func claims() jwt.MapClaims {
	return jwt.MapClaims{"exp": time.Now().Add(time.Hour).Unix(), "NS": "n", "DB": "d", "AC": "acc", "ID": "user:x"}
}

func sign(t *testing.T, m jwt.SigningMethod, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims()).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerify(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	pubDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)

	good := sign(t, jwt.SigningMethodES256, ec)
	c, err := NewKey(&ec.PublicKey).Verify(good)
	if err != nil || c.ID != "user:x" || c.Access != "acc" || c.ExpiresAt.IsZero() {
		t.Fatalf("good ES256 token: %+v %v", c, err)
	}
	if _, err := NewKey(edPub).Verify(sign(t, jwt.SigningMethodEdDSA, edPriv)); err != nil {
		t.Fatalf("good EdDSA token: %v", err)
	}
	refused := map[string]string{
		"another key":            good,
		"tampered claims":        good[:len(good)/2] + "x" + good[len(good)/2+1:],
		"HS256 with the key DER": sign(t, jwt.SigningMethodHS256, pubDER), // the algorithm-confusion attack
		"HS512 (server default)": sign(t, jwt.SigningMethodHS512, []byte("secret")),
		"alg none":               sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType),
		"not a JWT":              "nope",
	}
	for name, tok := range refused {
		key := any(&ec.PublicKey)
		if name == "another key" {
			key = &other.PublicKey
		}
		if _, err := NewKey(key).Verify(tok); sdk.CodeOf(err) != sdk.CodeTokenInvalid {
			t.Errorf("%s: got %v, want token_invalid", name, err)
		}
	}
}
