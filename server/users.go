package server

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/lanman/lanman/ntlm"
)

// ErrUsersFilePerm is returned by LoadUsers for a users file that other
// users of the machine can read or write: it holds password equivalents.
var ErrUsersFilePerm = errors.New("server: users file is accessible to other users (chmod o-rwx)")

// ErrBadUsersLine is wrapped by the errors ParseUsers returns for a line it
// cannot parse. The error names the line number, never its content, since
// the content holds a password.
var ErrBadUsersLine = errors.New("server: bad users file line")

// User is an account the server authenticates. Only the NT one-way hash of
// the password is kept (MS-NLMP 3.3.1 NTOWFv1, the MD4 of the UTF-16LE
// password), which is all an NTLMv2 acceptor needs; the password itself is
// dropped as soon as the hash is computed.
type User struct {
	Name   string
	NTHash [16]byte
	Admin  bool // a member of BUILTIN\Administrators
}

// Users is the account database. Names match case-insensitively, as
// Windows account names do. The zero value is an empty database; a Users
// is read-only once built, so it is safe for concurrent use.
type Users struct {
	byName map[string]*User
}

// NTHash is the NT one-way function of password (MS-NLMP 3.3.1 NTOWFv1),
// as the ntlm package computes it.
func NTHash(password string) [16]byte { return ntlm.NTHash(password) }

// NewUsers builds a database from accounts; a name given twice is an error.
func NewUsers(accounts ...User) (*Users, error) {
	u := &Users{byName: make(map[string]*User, len(accounts))}
	for _, a := range accounts {
		if err := u.add(a); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func (u *Users) add(a User) error {
	if a.Name == "" || strings.ContainsAny(a.Name, "\\/:\"[]|<>+=;,?*@\x00") {
		return fmt.Errorf("server: invalid user name %q", a.Name)
	}
	k := strings.ToLower(a.Name)
	if _, dup := u.byName[k]; dup {
		return fmt.Errorf("server: user %q listed twice", a.Name)
	}
	c := a
	u.byName[k] = &c
	return nil
}

// Lookup finds an account by name, ignoring case.
func (u *Users) Lookup(name string) (User, bool) {
	if u == nil {
		return User{}, false
	}
	p, ok := u.byName[strings.ToLower(name)]
	if !ok {
		return User{}, false
	}
	return *p, true
}

// Len is the number of accounts.
func (u *Users) Len() int {
	if u == nil {
		return 0
	}
	return len(u.byName)
}

// LoadUsers reads a users file (see ParseUsers for the format). The file
// must not be readable or writable by others, as an SSH private key must
// not be: it holds passwords or their NT hashes, which are password
// equivalents for NTLM. (On Windows, where permission bits do not exist,
// the check is skipped; protect the file with an ACL.)
func LoadUsers(path string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("server: users file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("server: users file: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o007 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %v", ErrUsersFilePerm, path, fi.Mode().Perm())
	}
	u, err := ParseUsers(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

// ParseUsers reads the users file format, one account a line:
//
//	name:password
//	name:password:admin
//	name:nthash:0123456789ABCDEF0123456789ABCDEF
//	name:nthash:0123456789ABCDEF0123456789ABCDEF:admin
//
// A trailing ":admin" puts the account in Administrators. Blank lines and
// lines starting with '#' are ignored. A password may contain ':' as long
// as it does not end in ":admin". Errors name the line number only.
func ParseUsers(r io.Reader) (*Users, error) {
	u := &Users{byName: make(map[string]*User)}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimRight(sc.Bytes(), "\r")
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue
		}
		a, err := parseUserLine(string(line))
		clear(line)
		if err != nil {
			return nil, fmt.Errorf("%w %d: %v", ErrBadUsersLine, n, err)
		}
		if err := u.add(a); err != nil {
			return nil, fmt.Errorf("%w %d: %v", ErrBadUsersLine, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("server: users file: %w", err)
	}
	return u, nil
}

func parseUserLine(line string) (User, error) {
	name, rest, ok := strings.Cut(line, ":")
	if !ok || name == "" {
		return User{}, errors.New("want name:password or name:nthash:HEX")
	}
	var a User
	a.Name = strings.TrimSpace(name)
	if r, found := strings.CutSuffix(rest, ":admin"); found {
		a.Admin, rest = true, r
	}
	if h, found := strings.CutPrefix(rest, "nthash:"); found {
		b, err := hex.DecodeString(strings.TrimSpace(h))
		if err != nil || len(b) != 16 {
			return User{}, errors.New("nthash must be 32 hex digits")
		}
		copy(a.NTHash[:], b)
		return a, nil
	}
	if rest == "" {
		return User{}, errors.New("empty password")
	}
	a.NTHash = NTHash(rest)
	return a, nil
}
