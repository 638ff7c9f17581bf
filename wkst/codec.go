package wkst

import "github.com/lanman/lanman/ndr"

// optString writes a top-level [in, string, unique] wchar_t* parameter, ""
// as NULL.
func optString(w *ndr.Writer, s string) {
	w.OptStringPtr(s)
	w.Flush()
}

// readOptString reads a top-level [string, unique] wchar_t* parameter.
func readOptString(r *ndr.Reader, dst *string) {
	r.StringPtr(dst)
	r.Flush()
}

// uint32Ptr writes a top-level [unique] DWORD* parameter.
func uint32Ptr(w *ndr.Writer, p *uint32) {
	w.Uint32Ptr(p)
	w.Flush()
}

// readUint32Ptr reads a top-level [unique] DWORD* parameter.
func readUint32Ptr(r *ndr.Reader, dst **uint32) {
	r.Uint32Ptr(dst)
	r.Flush()
}
