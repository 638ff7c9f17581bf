package smb2

import (
	"errors"
	"slices"
	"testing"

	"github.com/lanman/lanman/internal/sambatest"
	"github.com/lanman/lanman/ntstatus"
)

func TestClientBadPassword(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	for _, d := range []Dialect{Dialect210, Dialect311} {
		c := dialSamba(t, s, &Options{Dialects: []Dialect{d}})
		bad := s.User
		bad.Password += "-wrong"
		_, err := c.SessionSetup(testCtx(t), newInitiator(t, bad))
		if !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
			t.Fatalf("%v: bad password: %v, want STATUS_LOGON_FAILURE", d, err)
		}
		var se *StatusError
		if !errors.As(err, &se) || se.Command != CommandSessionSetup {
			t.Fatalf("%v: error %v is not a SESSION_SETUP StatusError", d, err)
		}
		// The connection stays usable for a good logon.
		if _, err := c.SessionSetup(testCtx(t), newInitiator(t, s.Admin)); err != nil {
			t.Fatalf("%v: good logon after a bad one: %v", d, err)
		}
	}
}

func TestClientUnknownShare(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	sess := login(t, s, nil, s.User)
	_, err := sess.TreeConnect(testCtx(t), "nosuchshare")
	if !errors.Is(err, ntstatus.STATUS_BAD_NETWORK_NAME) {
		t.Fatalf("tree connect to a missing share: %v", err)
	}
}

// TestClientEncryptionRequired runs against a server that requires
// encryption: negotiation picks a cipher, and every cipher can be forced.
func TestClientEncryptionRequired(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{Encrypt: "required"})
	cases := []struct {
		name    string
		opts    *Options
		dialect Dialect
		cipher  CipherID
	}{
		{"default", nil, Dialect311, CipherAES128GCM},
		{"AES-128-GCM", &Options{Ciphers: []CipherID{CipherAES128GCM}}, Dialect311, CipherAES128GCM},
		{"AES-256-GCM", &Options{Ciphers: []CipherID{CipherAES256GCM}}, Dialect311, CipherAES256GCM},
		{"AES-128-CCM", &Options{Ciphers: []CipherID{CipherAES128CCM}}, Dialect311, CipherAES128CCM},
		{"AES-256-CCM", &Options{Ciphers: []CipherID{CipherAES256CCM}}, Dialect311, CipherAES256CCM},
		{"3.0.2", &Options{Dialects: []Dialect{Dialect302}}, Dialect302, CipherAES128CCM},
		{"3.0", &Options{Dialects: []Dialect{Dialect300}}, Dialect300, CipherAES128CCM},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			sess := login(t, s, tc.opts, s.User)
			c := sess.Conn()
			if c.Dialect() != tc.dialect || c.Cipher() != tc.cipher {
				t.Fatalf("negotiated %v/%v, want %v/%v", c.Dialect(), c.Cipher(), tc.dialect, tc.cipher)
			}
			if !sess.Encrypted() {
				t.Fatal("session not encrypted although the server requires it")
			}
			roundTripFile(t, sess, "enc-"+tc.name+".bin", 300<<10)
			st, err := s.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, ss := range st.Sessions {
				if ss.Encryption.Cipher == tc.cipher.String() {
					found = true
				}
			}
			if !found {
				t.Fatalf("smbstatus shows no session with cipher %v: %+v", tc.cipher, st.Sessions)
			}
			// IPC$ works encrypted too.
			if _, err := sess.TreeConnect(ctx, "IPC$"); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("2.1 refused", func(t *testing.T) {
		c := dialSamba(t, s, &Options{Dialects: []Dialect{Dialect210}})
		sess, err := c.SessionSetup(testCtx(t), newInitiator(t, s.User))
		if err == nil {
			// Samba lets the session up but refuses its tree connects.
			_, err = sess.TreeConnect(testCtx(t), "data")
		}
		if err == nil {
			t.Fatal("an unencrypted 2.1 session reached a share of a server that requires encryption")
		}
	})
}

// TestClientRequireEncryption asks for encryption from a server that
// does not require it.
func TestClientRequireEncryption(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	sess := login(t, s, &Options{RequireEncryption: true}, s.User)
	if !sess.Encrypted() {
		t.Fatal("session not encrypted")
	}
	roundTripFile(t, sess, "asked.bin", 100<<10)

	c := dialSamba(t, s, &Options{RequireEncryption: true, Dialects: []Dialect{Dialect210}})
	_, err := c.SessionSetup(testCtx(t), newInitiator(t, s.User))
	if !errors.Is(err, ErrEncryptionUnavailable) {
		t.Fatalf("2.1 with RequireEncryption: %v, want ErrEncryptionUnavailable", err)
	}
}

func TestClientSigningAlgorithms(t *testing.T) {
	s := sambatest.Start(t, sambatest.Options{})
	for _, alg := range []SigningAlgorithm{SigningAESGMAC, SigningAESCMAC, SigningHMACSHA256} {
		t.Run(alg.String(), func(t *testing.T) {
			sess := login(t, s, &Options{SigningAlgorithms: []SigningAlgorithm{alg}}, s.User)
			got := sess.Conn().SigningAlgorithm()
			// Samba 4.17 offers GMAC and CMAC only; HMAC-SHA256
			// alone leaves the server to its default, CMAC.
			if got != alg && !(alg == SigningHMACSHA256 && got == SigningAESCMAC) {
				t.Fatalf("signing with %v, want %v", got, alg)
			}
			if !slices.Contains(DefaultSigningAlgorithms, got) {
				t.Fatalf("unexpected algorithm %v", got)
			}
			roundTripFile(t, sess, "sig-"+alg.String()+".bin", 10<<10)
		})
	}
}
