package workstation

import (
	"crypto/subtle"
	"log/slog"
)

// Credentials are who a use authenticates as. The zero value is an
// anonymous (null) session. They live in the redirector's memory only, and
// never print their secret: String, GoString and LogValue show
// DOMAIN\user.
type Credentials struct {
	User     string
	Domain   string
	Password string
	// NTHash, when 16 bytes, is used instead of Password (pass-the-hash).
	NTHash []byte
}

// Anonymous reports whether c is a null session.
func (c *Credentials) Anonymous() bool {
	return c == nil || c.User == "" && c.Password == "" && len(c.NTHash) == 0
}

func (c Credentials) String() string {
	if c.Anonymous() {
		return "(anonymous)"
	}
	if c.Domain == "" {
		return c.User
	}
	return c.Domain + `\` + c.User
}

// GoString keeps %#v from printing the secret.
func (c Credentials) GoString() string { return "workstation.Credentials{" + c.String() + "}" }

// LogValue keeps slog from printing the secret.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// sameSecret compares the secrets in constant time.
func (c *Credentials) sameSecret(o *Credentials) bool {
	a := subtle.ConstantTimeCompare([]byte(c.Password), []byte(o.Password))
	b := subtle.ConstantTimeCompare(c.NTHash, o.NTHash)
	return a&b == 1
}

// clone copies c so that the caller's slices are not shared.
func (c *Credentials) clone() *Credentials {
	if c == nil {
		return &Credentials{}
	}
	d := *c
	d.NTHash = append([]byte(nil), c.NTHash...)
	return &d
}

// wipe overwrites what can be overwritten of the secret once a session
// ends. (Go strings are immutable; the password string is dropped.)
func (c *Credentials) wipe() {
	clear(c.NTHash)
	c.NTHash = nil
	c.Password = ""
}
