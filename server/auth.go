package server

import (
	"fmt"
	"strings"

	"github.com/lanman/lanman/gss"
	"github.com/lanman/lanman/ntlm"
	"github.com/lanman/lanman/spnego"
)

// ntlmConfig is the NTLM acceptor configuration shared by every logon:
// the server's names and the lookup into the users database. The NT hash
// leaves the database only to the acceptor, never to a log.
func (s *Server) ntlmConfig() *ntlm.ServerConfig {
	return &ntlm.ServerConfig{
		ComputerName:   s.cfg.ServerName,
		DomainName:     s.cfg.ServerName,
		AllowAnonymous: s.cfg.AllowAnonymous,
		Lookup: func(user, domain string) ([16]byte, gss.Identity, error) {
			u, ok := s.cfg.Users.Lookup(user)
			if !ok {
				return [16]byte{}, gss.Identity{}, fmt.Errorf("%w: %q", ntlm.ErrUnknownUser, user)
			}
			return u.NTHash, gss.Identity{User: u.Name, Domain: strings.ToUpper(s.cfg.ServerName), Admin: u.Admin}, nil
		},
	}
}

// newAcceptor starts a logon: SPNEGO around an NTLMv2 acceptor.
func (s *Server) newAcceptor() gss.Acceptor {
	return spnego.NewAcceptor(ntlm.NewServer(s.ntlmCfg))
}

// negTokenInit is the SPNEGO hint of the NEGOTIATE response.
func (s *Server) negTokenInit() []byte { return s.negHint }
