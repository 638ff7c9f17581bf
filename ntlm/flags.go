package ntlm

import (
	"strconv"
	"strings"
)

// NegotiateFlags is the NEGOTIATE structure of MS-NLMP 2.2.2.5: the options
// each side offers or selects, carried in all three messages.
type NegotiateFlags uint32

// The negotiate flags, named after the NTLMSSP_* constants of MS-NLMP
// 2.2.2.5 (the letter in each comment is the spec's bit name).
const (
	NegotiateUnicode                 NegotiateFlags = 1 << 0  // A: strings are UTF-16LE
	NegotiateOEM                     NegotiateFlags = 1 << 1  // B: strings are OEM
	RequestTarget                    NegotiateFlags = 1 << 2  // C: server must send TargetName
	NegotiateSign                    NegotiateFlags = 1 << 4  // D: message integrity
	NegotiateSeal                    NegotiateFlags = 1 << 5  // E: message confidentiality
	NegotiateDatagram                NegotiateFlags = 1 << 6  // F: connectionless (unsupported)
	NegotiateLMKey                   NegotiateFlags = 1 << 7  // G: LM session key (refused)
	NegotiateNTLM                    NegotiateFlags = 1 << 9  // H: NTLM authentication
	NegotiateAnonymous               NegotiateFlags = 1 << 11 // J: anonymous (null session)
	NegotiateOEMDomainSupplied       NegotiateFlags = 1 << 12 // K
	NegotiateOEMWorkstationSupplied  NegotiateFlags = 1 << 13 // L
	NegotiateAlwaysSign              NegotiateFlags = 1 << 15 // M
	TargetTypeDomain                 NegotiateFlags = 1 << 16 // N
	TargetTypeServer                 NegotiateFlags = 1 << 17 // O
	NegotiateExtendedSessionSecurity NegotiateFlags = 1 << 19 // P: NTLM2 session security
	NegotiateIdentify                NegotiateFlags = 1 << 20 // Q
	RequestNonNTSessionKey           NegotiateFlags = 1 << 22 // R: LM-derived key (refused)
	NegotiateTargetInfo              NegotiateFlags = 1 << 23 // S: TargetInfo present
	NegotiateVersion                 NegotiateFlags = 1 << 25 // T: Version field present
	Negotiate128                     NegotiateFlags = 1 << 29 // U: 128-bit keys
	NegotiateKeyExch                 NegotiateFlags = 1 << 30 // V: explicit key exchange
	Negotiate56                      NegotiateFlags = 1 << 31 // W: 56-bit keys
)

var flagNames = [32]string{
	0: "UNICODE", 1: "OEM", 2: "REQUEST_TARGET", 4: "SIGN", 5: "SEAL",
	6: "DATAGRAM", 7: "LM_KEY", 9: "NTLM", 11: "ANONYMOUS",
	12: "OEM_DOMAIN_SUPPLIED", 13: "OEM_WORKSTATION_SUPPLIED", 15: "ALWAYS_SIGN",
	16: "TARGET_TYPE_DOMAIN", 17: "TARGET_TYPE_SERVER",
	19: "EXTENDED_SESSIONSECURITY", 20: "IDENTIFY", 22: "REQUEST_NON_NT_SESSION_KEY",
	23: "TARGET_INFO", 25: "VERSION", 29: "128", 30: "KEY_EXCH", 31: "56",
}

// String lists the set flags by their MS-NLMP names, "UNICODE|SIGN|...".
func (f NegotiateFlags) String() string {
	if f == 0 {
		return "0"
	}
	var sb strings.Builder
	for i := range 32 {
		if f&(1<<i) == 0 {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('|')
		}
		if flagNames[i] != "" {
			sb.WriteString(flagNames[i])
		} else {
			sb.WriteString("0x" + strconv.FormatUint(1<<i, 16))
		}
	}
	return sb.String()
}

// Has reports whether all of the flags in g are set in f.
func (f NegotiateFlags) Has(g NegotiateFlags) bool { return f&g == g }
