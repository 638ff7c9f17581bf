package ntlm

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// NTHash returns the NT one-way function of a password (NTOWFv1, MS-NLMP
// 3.3.1): MD4 of its UTF-16LE encoding. It is the secret both sides of
// NTLMv2 actually use, so a Client can be given it instead of the password
// ("pass-the-hash") and a Server's user lookup returns it.
func NTHash(password string) [16]byte {
	return md4Sum(utf16Bytes(password))
}

// ParseNTHash parses an NT hash written as 32 hex digits. The
// "LMHASH:NTHASH" form that tools such as impacket print is accepted too;
// the LM half is ignored.
func ParseNTHash(s string) ([16]byte, error) {
	var h [16]byte
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) != 32 {
		return h, fmt.Errorf("ntlm: NT hash must be 32 hex digits, got %d characters", len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("ntlm: NT hash is not hex: %w", err)
	}
	return h, nil
}

// ntowfv2 is NTOWFv2 (MS-NLMP 3.3.2): HMAC_MD5 keyed with the NT hash over
// UTF-16LE(Uppercase(User) || UserDom). The domain keeps its case.
func ntowfv2(ntHash *[16]byte, user, domain string) [16]byte {
	m := hmac.New(md5.New, ntHash[:])
	b := appendUTF16(make([]byte, 0, 2*(len(user)+len(domain))), strings.ToUpper(user))
	m.Write(appendUTF16(b, domain))
	var k [16]byte
	m.Sum(k[:0])
	return k
}

func hmacMD5(key []byte, parts ...[]byte) [16]byte {
	m := hmac.New(md5.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	var out [16]byte
	m.Sum(out[:0])
	return out
}

// ntlmv2ClientBlob builds "temp" of MS-NLMP 3.3.2: the NTLMv2_CLIENT_CHALLENGE
// (2.2.2.7) followed by the 4 zero bytes the pseudocode appends.
func ntlmv2ClientBlob(timestamp uint64, clientChallenge [8]byte, avPairs []byte) []byte {
	b := make([]byte, 28, 28+len(avPairs)+4)
	b[0], b[1] = 1, 1 // RespType, HiRespType
	binary.LittleEndian.PutUint64(b[8:], timestamp)
	copy(b[16:24], clientChallenge[:])
	b = append(b, avPairs...)
	return append(b, 0, 0, 0, 0)
}

// ntProofStr is HMAC_MD5(ResponseKeyNT, ServerChallenge || temp).
func ntProofStr(responseKeyNT *[16]byte, serverChallenge [8]byte, temp []byte) [16]byte {
	return hmacMD5(responseKeyNT[:], serverChallenge[:], temp)
}

// lmv2Response is the LMv2_RESPONSE (2.2.2.4): HMAC_MD5(ResponseKeyLM,
// ServerChallenge || ClientChallenge) || ClientChallenge.
func lmv2Response(responseKeyLM *[16]byte, serverChallenge, clientChallenge [8]byte) []byte {
	h := hmacMD5(responseKeyLM[:], serverChallenge[:], clientChallenge[:])
	return append(h[:], clientChallenge[:]...)
}

// rc4Once encrypts (or decrypts) src with a fresh RC4 keystream, RC4K of
// MS-NLMP 6.
func rc4Once(key, src []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		panic(err) // unreachable: keys here are 16 bytes
	}
	out := make([]byte, len(src))
	c.XORKeyStream(out, src)
	return out
}

const (
	clientSignMagic = "session key to client-to-server signing key magic constant\x00"
	serverSignMagic = "session key to server-to-client signing key magic constant\x00"
	clientSealMagic = "session key to client-to-server sealing key magic constant\x00"
	serverSealMagic = "session key to server-to-client sealing key magic constant\x00"
)

// signKey is SIGNKEY (MS-NLMP 3.4.5.2) under extended session security.
func signKey(exportedSessionKey []byte, client bool) [16]byte {
	h := md5.New()
	h.Write(exportedSessionKey)
	if client {
		h.Write([]byte(clientSignMagic))
	} else {
		h.Write([]byte(serverSignMagic))
	}
	var k [16]byte
	h.Sum(k[:0])
	return k
}

// sealKey is SEALKEY (MS-NLMP 3.4.5.3) under extended session security: the
// exported key is first cut to the negotiated strength.
func sealKey(flags NegotiateFlags, exportedSessionKey []byte, client bool) [16]byte {
	k := exportedSessionKey
	switch {
	case flags&Negotiate128 != 0:
	case flags&Negotiate56 != 0:
		k = k[:7]
	default:
		k = k[:5]
	}
	h := md5.New()
	h.Write(k)
	if client {
		h.Write([]byte(clientSealMagic))
	} else {
		h.Write([]byte(serverSealMagic))
	}
	var out [16]byte
	h.Sum(out[:0])
	return out
}

// fileTimeEpochDelta is the number of 100 ns ticks between 1601-01-01 and
// 1970-01-01 (MS-DTYP 2.3.3 FILETIME).
const fileTimeEpochDelta = 116444736000000000

// toFileTime converts t to a FILETIME tick count.
func toFileTime(t time.Time) uint64 {
	return uint64(t.Unix()*1e7 + int64(t.Nanosecond()/100) + fileTimeEpochDelta)
}

// fromFileTime converts a FILETIME tick count to a time.
func fromFileTime(ft uint64) time.Time {
	ticks := int64(ft - fileTimeEpochDelta)
	return time.Unix(ticks/1e7, ticks%1e7*100)
}
