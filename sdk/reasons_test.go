package sdk

import (
	"regexp"
	"testing"
)

// reasonPatterns are what each entry of textReasons means, as the regexps
// the matchers were first written with (the browser build leaves regexp
// out; see reasons.go). say makes the clause from the groups.
var reasonPatterns = []struct {
	reason string
	re     *regexp.Regexp
	say    func(m []string) string
}{
	{ReasonNoRecord, regexp.MustCompile(`^No record was returned`), nil},
	{ReasonAccessQueryFailed, regexp.MustCompile(`^The record access (signup|signin) query failed`), nil},
	{ReasonUniqueIndex, regexp.MustCompile("^Database index `([^`]+)` already contains (.+?), with record `"),
		func(m []string) string { return m[2] + " is already taken (unique index " + m[1] + ")" }},
	{ReasonAssertFailed, regexp.MustCompile("^Found (.+?) for field `([^`]+)`, with record `.*`, but field must conform to: "),
		func(m []string) string { return m[1] + " is not a valid " + m[2] }},
	{ReasonFieldType, regexp.MustCompile("^Found (.+?) for field `([^`]+)`, with record `.*`, but expected (.+)$"),
		func(m []string) string { return wrongType(m[2], m[3], m[1]) }},
	{ReasonFieldType, regexp.MustCompile("^Couldn't coerce value for field `([^`]+)` of `.+`: Expected `([^`]+)` but found `(.+)`$"),
		func(m []string) string { return wrongType(m[1], "a "+m[2], m[3]) }},
	{ReasonThrown, regexp.MustCompile(`(?s)^An error occurred: (.*)$`), func(m []string) string { return m[1] }},
	{ReasonPermissionDenied, regexp.MustCompile(`^IAM error: Not enough permissions`),
		func([]string) string { return "not enough permissions" }},
	{ReasonNotExecuted, regexp.MustCompile(`was not executed due to a (failed|cancelled) transaction`),
		func([]string) string { return "not run, because another statement of its transaction failed" }},
	{ReasonParseError, regexp.MustCompile(`(?s)^Parse error: ([^\n]*)(?:\n\s*--> (\[\d+:\d+\]))?`),
		func(m []string) string {
			if m[2] != "" {
				return m[1] + " at " + m[2]
			}
			return m[1]
		}},
}

func patternReason(text string) (reason, clause string) {
	for _, p := range reasonPatterns {
		if m := p.re.FindStringSubmatch(text); m != nil {
			if p.say != nil {
				clause = p.say(m)
			}
			return p.reason, clause
		}
	}
	return "", ""
}

// reasonCorpus: the messages 3.0.2 and 2.x send (docs/protocol.md#errors),
// and near misses of each.
var reasonCorpus = []string{
	"No record was returned",
	"No record was returned.",
	"no record was returned",
	"The record access signin query failed",
	"The record access signup query failed: x",
	"The record access refresh query failed",
	"Database index `user_email` already contains 'a@b.cc', with record `user:abc`",
	"Database index `user_email` already contains ['a@b.cc', 1], with record `user:⟨a`b⟩`",
	"Database index `us`er` already contains 'x', with record `user:1`",
	"Database index `user_email` already contains 'a\nb', with record `user:1`",
	"Database index `user_email` already contains , with record `user:1`",
	"Database index `user_email` already contains 'x'",
	"Found 'x' for field `email`, with record `user:abc`, but field must conform to: string::is::email($value)",
	"Found 'x' for field `email`, with record `user:a`b`, but field must conform to: $value != NONE",
	"Found NONE for field `email`, with record `user:abc`, but expected a string",
	"Found 1 for field `email`, with record `user:abc`, but expected a string\nmore",
	"Found 1 for field `em`ail`, with record `user:abc`, but expected a string",
	"Found 1\n for field `email`, with record `user:abc`, but expected a string",
	"Found  for field `email`, with record `user:abc`, but expected a string",
	"Found 1 for field `email`, with record `user:abc`, but expected ",
	"Couldn't coerce value for field `email` of `user:abc`: Expected `string` but found `NONE`",
	"Couldn't coerce value for field `age` of `user:abc`: Expected `int` but found `'x'`",
	"Couldn't coerce value for field `age` of `user:abc`: Expected `int` but found `'x'",
	"Couldn't coerce value for field `age` of `user:abc`: Expected `int` but found ``",
	"Couldn't coerce value for field `age` of `user:abc`: Expected `int` but found `a\nb`",
	"An error occurred: boom",
	"An error occurred: closed\nfor maintenance",
	"An error occurred: ",
	"IAM error: Not enough permissions to perform this action",
	"IAM error: not enough permissions",
	"The query was not executed due to a failed transaction",
	"The query was not executed due to a cancelled transaction",
	"The query was not executed due to a timeout",
	"Parse error: Unexpected end of file, expected an expression\n --> [1:9]\n  |\n1 | RETURN (\n  |         ^",
	"Parse error: Unexpected token `)`\n\t\n --> [12:345]",
	"Parse error: Unexpected token\n --> [1:x]",
	"Parse error: Unexpected token\n --> 1:9",
	"Parse error: only a line",
	"There was a problem with authentication",
	"",
}

// TestReasonMatchersFollowTheirPatterns: each string matcher agrees with
// the regexp it stands for, reason and clause, on every message the
// servers send and on near misses of each.
func TestReasonMatchersFollowTheirPatterns(t *testing.T) {
	if len(reasonPatterns) != len(textReasons) {
		t.Fatalf("%d patterns for %d matchers", len(reasonPatterns), len(textReasons))
	}
	for i, p := range reasonPatterns {
		if p.reason != textReasons[i].reason {
			t.Fatalf("pattern %d is for %s, matcher for %s", i, p.reason, textReasons[i].reason)
		}
	}
	for _, text := range reasonCorpus {
		wantR, wantC := patternReason(text)
		gotR, gotC := reasonOf(text)
		if gotR != wantR || gotC != wantC {
			t.Errorf("%q: matchers say %q %q, patterns %q %q", text, gotR, gotC, wantR, wantC)
		}
	}
}

// FuzzReasonMatchers looks for messages on which the matchers and their
// patterns disagree, starting from the corpus above.
func FuzzReasonMatchers(f *testing.F) {
	for _, text := range reasonCorpus {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		wantR, wantC := patternReason(text)
		gotR, gotC := reasonOf(text)
		if gotR != wantR || gotC != wantC {
			t.Errorf("%q: matchers say %q %q, patterns %q %q", text, gotR, gotC, wantR, wantC)
		}
	})
}
