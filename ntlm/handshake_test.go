package ntlm

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntstatus"
)

const (
	testUser     = "alice"
	testPassword = "S3cret-pässword"
)

func testServerConfig() *ServerConfig {
	return &ServerConfig{
		ComputerName:    "LANMAN",
		DomainName:      "WORKGROUP",
		DNSComputerName: "lanman.example",
		Lookup:          PasswordLookup(map[string]string{testUser: testPassword, "bob": "hunter2"}),
	}
}

// handshake runs the three messages between c and s and returns the
// acceptor's error, if any.
func handshake(t testing.TB, c gss.Initiator, s gss.Acceptor) error {
	t.Helper()
	neg, done, err := c.Step(nil)
	if err != nil || done {
		t.Fatalf("client step 1: done=%v err=%v", done, err)
	}
	chal, done, err := s.Step(neg)
	if err != nil || done {
		return fmt.Errorf("server step 1: done=%v err=%w", done, err)
	}
	auth, done, err := c.Step(chal)
	if err != nil {
		return fmt.Errorf("client step 2: %w", err)
	}
	if !done {
		t.Fatal("client not done after AUTHENTICATE")
	}
	out, done, err := s.Step(auth)
	if err != nil {
		return err
	}
	if !done || out != nil {
		t.Fatalf("server step 2: done=%v out=%x", done, out)
	}
	return nil
}

func newClient(t testing.TB, cfg ClientConfig) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHandshake(t *testing.T) {
	c := newClient(t, ClientConfig{User: "Alice", Domain: "WORKGROUP", Password: testPassword, Workstation: "CLIENT1", TargetSPN: "cifs/lanman"})
	s := NewServer(testServerConfig())
	if err := handshake(t, c, s); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.SessionKey(), s.SessionKey()) || len(c.SessionKey()) != 16 {
		t.Fatalf("session keys differ: %x vs %x", c.SessionKey(), s.SessionKey())
	}
	id := s.Identity()
	if id.User != testUser || id.Domain != "WORKGROUP" || id.Workstation != "CLIENT1" || id.Anonymous {
		t.Errorf("identity = %+v", id)
	}
	if !c.MICSent() || !s.MICReceived() {
		t.Errorf("MIC sent=%v received=%v", c.MICSent(), s.MICReceived())
	}
	if s.TargetName() != "cifs/lanman" {
		t.Errorf("target name = %q", s.TargetName())
	}
	want := NegotiateUnicode | NegotiateSign | NegotiateSeal | NegotiateExtendedSessionSecurity | Negotiate128 | NegotiateKeyExch
	if !c.Flags().Has(want) || c.Flags() != s.Flags() {
		t.Errorf("flags client %v server %v", c.Flags(), s.Flags())
	}
	exchangeMessages(t, c.Security(), s.Security())
}

// exchangeMessages signs and seals in both directions and checks that
// tampering, replay and reordering are detected.
func exchangeMessages(t *testing.T, cs, ss *Security) {
	t.Helper()
	for i := range 3 {
		msg := []byte(fmt.Sprintf("request %d", i))
		sig, err := cs.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		if err := ss.Verify(msg, sig); err != nil {
			t.Fatalf("server verify %d: %v", i, err)
		}
		reply := []byte(fmt.Sprintf("header|reply %d|trailer", i))
		plain := reply[7:14]
		sig, err = ss.Seal(plain, reply)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(reply, []byte("reply")) {
			t.Fatalf("sealed region still in clear: %q", reply)
		}
		if err := cs.Unseal(plain, reply, sig); err != nil {
			t.Fatalf("client unseal %d: %v", i, err)
		}
		if string(reply) != fmt.Sprintf("header|reply %d|trailer", i) {
			t.Fatalf("unsealed %q", reply)
		}
	}
	// A changed message fails, and so does a replayed signature (the
	// sequence number moved on).
	msg := []byte("transfer 10")
	sig, _ := cs.Sign(msg)
	if err := ss.Verify([]byte("transfer 99"), sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered message: %v", err)
	}
	if err := ss.Verify(msg, sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("replayed signature: %v", err)
	}
	if err := ss.Verify(msg, sig[:15]); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("short signature: %v", err)
	}
}

func TestWrongPassword(t *testing.T) {
	c := newClient(t, ClientConfig{User: testUser, Password: "not-it"})
	err := handshake(t, c, NewServer(testServerConfig()))
	if !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) || !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "not-it") {
		t.Fatalf("error leaks the password: %v", err)
	}
}

func TestUnknownUser(t *testing.T) {
	c := newClient(t, ClientConfig{User: "mallory", Password: testPassword})
	err := handshake(t, c, NewServer(testServerConfig()))
	if !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) || !errors.Is(err, ErrUnknownUser) {
		t.Fatalf("err = %v", err)
	}
}

func TestLookupErrorPassesThrough(t *testing.T) {
	cfg := testServerConfig()
	cfg.Lookup = func(user, domain string) ([16]byte, gss.Identity, error) {
		return [16]byte{}, gss.Identity{}, ntstatus.Status(0xC0000072) // STATUS_ACCOUNT_DISABLED
	}
	err := handshake(t, newClient(t, ClientConfig{User: testUser, Password: testPassword}), NewServer(cfg))
	if !errors.Is(err, ntstatus.Status(0xC0000072)) || errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
		t.Fatalf("err = %v", err)
	}
}

func TestPassTheHash(t *testing.T) {
	h := NTHash(testPassword)
	for _, form := range []string{
		hex.EncodeToString(h[:]),
		strings.ToUpper(hex.EncodeToString(h[:])),
		"aad3b435b51404eeaad3b435b51404ee:" + hex.EncodeToString(h[:]),
	} {
		parsed, err := ParseNTHash(form)
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, ClientConfig{User: testUser, NTHash: parsed[:]})
		if err := handshake(t, c, NewServer(testServerConfig())); err != nil {
			t.Fatalf("%s: %v", form, err)
		}
	}
	for _, bad := range []string{"", "00", strings.Repeat("zz", 16)} {
		if _, err := ParseNTHash(bad); err == nil {
			t.Errorf("ParseNTHash(%q) succeeded", bad)
		}
	}
	if _, err := NewClient(ClientConfig{User: testUser, NTHash: make([]byte, 15)}); err == nil {
		t.Error("15-byte hash accepted")
	}
}

func TestDomainVariants(t *testing.T) {
	// The response key mixes in the domain as the client typed it; the
	// server tries it as given, upper-cased, and empty.
	for _, dom := range []string{"", "workgroup", "WORKGROUP", "other.example"} {
		c := newClient(t, ClientConfig{User: "ALICE", Domain: dom, Password: testPassword})
		if err := handshake(t, c, NewServer(testServerConfig())); err != nil {
			t.Errorf("domain %q: %v", dom, err)
		}
	}
}

// relay runs the handshake with a hook that may alter each token in
// transit.
func relay(t *testing.T, c *Client, s *Server, alter func(step int, b []byte) []byte) error {
	t.Helper()
	tok, _, err := c.Step(nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err = s.Step(alter(1, tok))
	if err != nil {
		return err
	}
	tok, _, err = c.Step(alter(2, tok))
	if err != nil {
		return err
	}
	_, _, err = s.Step(alter(3, tok))
	return err
}

func TestMICDetectsTampering(t *testing.T) {
	for _, tc := range []struct {
		name  string
		step  int
		alter func([]byte) []byte
	}{
		// Clearing SEAL and KEY_EXCH in the NEGOTIATE the server sees is
		// a downgrade attempt that NTProofStr alone would not catch.
		{"negotiate flags", 1, func(b []byte) []byte {
			f := binary.LittleEndian.Uint32(b[12:])
			binary.LittleEndian.PutUint32(b[12:], f&^uint32(NegotiateSeal))
			return b
		}},
		{"challenge version", 2, func(b []byte) []byte { b[48] ^= 1; return b }},
		{"authenticate workstation", 3, func(b []byte) []byte {
			var am Authenticate
			if err := am.Unmarshal(b); err != nil {
				panic(err)
			}
			off := int(binary.LittleEndian.Uint32(b[48:]))
			b[off] ^= 0x20
			return b
		}},
		{"authenticate MIC", 3, func(b []byte) []byte { b[authenticateMICOff] ^= 1; return b }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, ClientConfig{User: testUser, Password: testPassword, Workstation: "CLIENT1"})
			err := relay(t, c, NewServer(testServerConfig()), func(step int, b []byte) []byte {
				if step == tc.step {
					b = tc.alter(bytes.Clone(b))
				}
				return b
			})
			if !errors.Is(err, ErrMICMismatch) || !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// Removing the MsvAvFlags MIC bit is caught by NTProofStr, which covers
	// the AV pairs.
	c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
	err := relay(t, c, NewServer(testServerConfig()), func(step int, b []byte) []byte {
		if step != 3 {
			return b
		}
		b = bytes.Clone(b)
		i := bytes.Index(b, []byte{0x06, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00})
		if i < 0 {
			t.Fatal("no MsvAvFlags pair")
		}
		b[i+4] = 0
		return b
	})
	if !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("stripped MIC flag: %v", err)
	}
}

func TestNoTimestampNoMIC(t *testing.T) {
	// A server that sends no MsvAvTimestamp gets an LMv2 response and no
	// MIC; the Server accepts that (as it must for impacket and older
	// clients).
	c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
	s := NewServer(testServerConfig())
	err := relay(t, c, s, func(step int, b []byte) []byte {
		if step != 2 {
			return b
		}
		var ch Challenge
		if err := ch.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
		var kept AVPairs
		for _, p := range ch.TargetInfo {
			if p.ID != AvTimestamp {
				kept = append(kept, p)
			}
		}
		ch.TargetInfo = kept
		return ch.Marshal()
	})
	// The server's MIC check is skipped but the tampered challenge bytes
	// are not covered otherwise, so the logon succeeds.
	if err != nil {
		t.Fatal(err)
	}
	if c.MICSent() || s.MICReceived() {
		t.Fatal("MIC used without a timestamp")
	}
	if !bytes.Equal(c.SessionKey(), s.SessionKey()) {
		t.Fatal("session keys differ")
	}
}

func TestClockSkew(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cfg := testServerConfig()
	cfg.Now = func() time.Time { return now }
	c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
	s := NewServer(cfg)
	neg, _, _ := c.Step(nil)
	chal, _, err := s.Step(neg)
	if err != nil {
		t.Fatal(err)
	}
	auth, _, err := c.Step(chal)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour) // the response arrives an hour later
	_, _, err = s.Step(auth)
	if !errors.Is(err, ErrClockSkew) || !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
		t.Fatalf("err = %v", err)
	}

	// Within the window it succeeds; a negative MaxClockSkew disables it.
	for _, tc := range []struct {
		skew, delay time.Duration
	}{{0, 10 * time.Minute}, {-1, 48 * time.Hour}} {
		cfg.MaxClockSkew = tc.skew
		now = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
		s := NewServer(cfg)
		neg, _, _ := c.Step(nil)
		chal, _, _ := s.Step(neg)
		auth, _, _ := c.Step(chal)
		now = now.Add(tc.delay)
		if _, _, err := s.Step(auth); err != nil {
			t.Errorf("skew %v delay %v: %v", tc.skew, tc.delay, err)
		}
	}
}

func TestAnonymous(t *testing.T) {
	c := newClient(t, ClientConfig{Anonymous: true, Workstation: "NULLBOX"})
	err := handshake(t, c, NewServer(testServerConfig()))
	if !errors.Is(err, ErrAnonymousRefused) || !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
		t.Fatalf("default server: %v", err)
	}

	cfg := testServerConfig()
	cfg.AllowAnonymous = true
	c = newClient(t, ClientConfig{Anonymous: true, Workstation: "NULLBOX"})
	s := NewServer(cfg)
	if err := handshake(t, c, s); err != nil {
		t.Fatal(err)
	}
	if id := s.Identity(); !id.Anonymous || id.User != "" || id.Workstation != "NULLBOX" {
		t.Errorf("identity = %+v", id)
	}
	if s.SessionKey() != nil || c.SessionKey() != nil {
		t.Error("anonymous logon has a session key")
	}
	if _, err := s.MessageSecurity(); !errors.Is(err, ErrNoSessionSecurity) {
		t.Errorf("server MessageSecurity: %v", err)
	}
	if _, err := c.MessageSecurity(); !errors.Is(err, ErrNoSessionSecurity) {
		t.Errorf("client MessageSecurity: %v", err)
	}

	if _, err := NewClient(ClientConfig{Anonymous: true, User: "x"}); err == nil {
		t.Error("anonymous with a user accepted")
	}
	if _, err := NewClient(ClientConfig{Password: "x"}); err == nil {
		t.Error("no user and not anonymous accepted")
	}
}

func TestServerRefusesNTLMv1(t *testing.T) {
	c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
	s := NewServer(testServerConfig())
	err := relay(t, c, s, func(step int, b []byte) []byte {
		if step != 3 {
			return b
		}
		var am Authenticate
		if err := am.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
		am.NtChallengeResponse = am.NtChallengeResponse[:24] // NTLMv1 length
		am.MIC = nil
		return am.Marshal()
	})
	if !errors.Is(err, ErrWeakProtocol) || !errors.Is(err, ntstatus.STATUS_LOGON_FAILURE) {
		t.Fatalf("err = %v", err)
	}

	// And a client without extended session security is refused outright.
	neg := (&Negotiate{Flags: NegotiateUnicode | NegotiateNTLM | NegotiateSign}).Marshal()
	if _, _, err := NewServer(testServerConfig()).Step(neg); !errors.Is(err, ErrWeakProtocol) {
		t.Fatalf("NEGOTIATE without ESS: %v", err)
	}
}

func TestClientRefusesWeakServer(t *testing.T) {
	for _, drop := range []NegotiateFlags{NegotiateExtendedSessionSecurity, Negotiate128} {
		c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
		err := relay(t, c, NewServer(testServerConfig()), func(step int, b []byte) []byte {
			if step == 2 {
				b = bytes.Clone(b)
				f := binary.LittleEndian.Uint32(b[20:])
				binary.LittleEndian.PutUint32(b[20:], f&^uint32(drop))
			}
			return b
		})
		if !errors.Is(err, ErrWeakProtocol) {
			t.Errorf("server without %v: %v", drop, err)
		}
	}
}

func TestStepOutOfSequence(t *testing.T) {
	c := newClient(t, ClientConfig{User: testUser, Password: testPassword})
	s := NewServer(testServerConfig())
	if err := handshake(t, c, s); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Step(nil); !errors.Is(err, ErrState) {
		t.Errorf("client: %v", err)
	}
	if _, _, err := s.Step(nil); !errors.Is(err, ErrState) {
		t.Errorf("server: %v", err)
	}
	// Garbage in place of a message is a decoding error, not a panic.
	if _, _, err := NewServer(testServerConfig()).Step([]byte("NTLMSSP\x00garbage")); !errors.Is(err, ErrBadMessage) || !errors.Is(err, ntstatus.STATUS_INVALID_PARAMETER) {
		t.Errorf("garbage negotiate: %v", err)
	}
}

func TestConfigStringHidesSecrets(t *testing.T) {
	cfg := ClientConfig{User: testUser, Password: testPassword, NTHash: []byte("0123456789abcdef")}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, testPassword) || strings.Contains(s, "0123456789abcdef") {
			t.Errorf("config prints a secret: %s", s)
		}
	}
}

func TestFlagsString(t *testing.T) {
	if got := (NegotiateUnicode | NegotiateSign | 1<<3).String(); got != "UNICODE|0x8|SIGN" {
		t.Errorf("got %q", got)
	}
}
