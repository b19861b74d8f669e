// Package notes is an example Go HTTP server that renders the signed-in
// user's own notes. It knows the user from the cookie the browser client
// writes (its cookie option) and queries SurrealDB as that user, over one
// socket shared by every request: the note table's PERMISSIONS decide what
// each user sees, not this code.
//
// It runs against the dev server's schema (devserver/schema.surql: the
// note table, the allusers access). Start it with
//
//	go run ./examples/notes/cmd/notes-server -db ws://127.0.0.1:8000/rpc
//
// or, from a Go test, notes.New(ctx, devServerURL) and serve the *App.
package notes

import (
	"context"
	"errors"
	"html/template"
	"net/http"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/httpauth"
)

// App is the notes server: an http.Handler. Close it to close its socket.
type App struct {
	db      *sdk.Client
	handler http.Handler
}

// New dials SurrealDB at url (a 3.x /rpc endpoint: the requests' sessions
// share its socket) and returns the server. opts go to sdk.Dial.
func New(ctx context.Context, url string, opts ...sdk.Option) (*App, error) {
	db, err := sdk.Dial(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	sessions, err := httpauth.New(db)
	if err != nil {
		db.Close()
		return nil, err // unsupported before SurrealDB 3
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", notesPage)
	return &App{db: db, handler: sessions.Middleware(mux)}, nil
}

func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Close closes the socket.
func (a *App) Close() error { return a.db.Close() }

// page is what the template shows: Email is empty when signed out.
type page struct {
	Email   string
	Notes   []string
	Refused bool // the cookie's token was refused
}

var tmpl = template.Must(template.New("notes").Parse(`<!doctype html>
<meta charset="utf-8">
<title>Notes</title>
{{if .Email}}<h1>Notes of <span id="email">{{.Email}}</span></h1>
<ul id="notes">{{range .Notes}}
<li>{{.}}</li>{{else}}
<li class="empty">No notes yet.</li>{{end}}
</ul>
{{else}}<p id="signed-out">Signed out{{if .Refused}}: your sign-in was not accepted, sign in again{{end}}.</p>
{{end}}`))

// notesPage renders the notes of the request's user, or "signed out".
func notesPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store") // one user's page: never cached for another
	w.Header().Set("Vary", "Cookie")
	s, err := httpauth.FromContext(r.Context())
	p := page{Refused: errors.Is(err, httpauth.ErrSignedOut)}
	if s.Session() != nil {
		if p.Email, p.Notes, err = userNotes(r.Context(), s); err != nil {
			http.Error(w, "The notes could not be loaded.", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	tmpl.Execute(w, p)
}

// userNotes asks, as the request's user, who it is and what notes it may
// see. The query names no owner: PERMISSIONS filter the rows.
func userNotes(ctx context.Context, s *sdk.RequestSession) (string, []string, error) {
	rec, err := s.Info(ctx)
	if err != nil {
		return "", nil, err
	}
	email, _ := rec["email"].(string)
	rows, err := s.Query(ctx, "SELECT text, created FROM note ORDER BY created, text", nil)
	if err != nil {
		return "", nil, err
	}
	list, _ := rows[0].([]any)
	notes := make([]string, 0, len(list))
	for _, v := range list {
		row, _ := v.(map[string]any)
		if text, ok := row["text"].(string); ok {
			notes = append(notes, text)
		}
	}
	if email == "" {
		email = s.Session().ID // a system user, or a record without an email
	}
	return email, notes, nil
}
