package notes_test

import (
	"testing"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// The example's tests run on the engines of the matrix (SURREAL_ENGINES),
// against SURREAL_URL or a dev server shared by the test binary.

func TestMain(m *testing.M) { testserver.Main(m) }

func engines() []string { return testserver.Engines() }

func devServer(t *testing.T, engine string) string { return testserver.Shared(t, engine).URL }
