package netapi

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Query narrows an enumeration. Each field applies to the calls that
// take it; the others ignore it.
type Query struct {
	ClientName string // sessions: `\\name` of the client
	UserName   string // sessions and files: the user
	Qualifier  string // connections: a share name or `\\computer` (required)
	BasePath   string // files: only those under this path
	// MaxLen is PreferedMaximumLength for each page; 0 asks for
	// everything at once (MAX_PREFERRED_LENGTH). The iterators return
	// every entry whatever its value.
	MaxLen uint32
}

// ErrNoProgress is returned when a server keeps answering ERROR_MORE_DATA
// without moving its resume handle forward: paging would never end.
var ErrNoProgress = errors.New("netapi: server answered ERROR_MORE_DATA without progress")

// maxPages bounds one enumeration, whatever a server says.
const maxPages = 1 << 20

// enumFunc fetches one page.
type enumFunc func(ctx context.Context, prefMaxLen uint32, resume *uint32) (buf any, read, total uint32, err error)

// paginate calls fetch until the server says it is done. It stops on
// success even when the resume handle is not zero (Samba leaves it set),
// and refuses to loop when a server answers ERROR_MORE_DATA without
// moving on.
func paginate[T any](ctx context.Context, maxLen uint32, fetch enumFunc) iter.Seq2[T, error] {
	if maxLen == 0 {
		maxLen = MAX_PREFERRED_LENGTH
	}
	return func(yield func(T, error) bool) {
		var zero T
		var resume uint32
		for page := 0; ; page++ {
			if page == maxPages {
				yield(zero, fmt.Errorf("%w: %d pages", ErrNoProgress, page))
				return
			}
			before := resume
			buf, _, _, err := fetch(ctx, maxLen, &resume)
			more := errors.Is(err, ERROR_MORE_DATA)
			if err != nil && !more {
				yield(zero, err)
				return
			}
			items, ok := buf.([]T)
			if !ok && buf != nil {
				yield(zero, fmt.Errorf("netapi: server answered another level (%T)", buf))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more {
				return
			}
			if len(items) == 0 || resume == before {
				yield(zero, ErrNoProgress)
				return
			}
		}
	}
}

// Sessions iterates over the server's sessions at the level T stands for:
//
//	for s, err := range netapi.Sessions[netapi.SessionInfo502](ctx, c, netapi.Query{}) { … }
func Sessions[T SessionInfo](ctx context.Context, c Server, q Query) iter.Seq2[T, error] {
	level := levelOf[T]()
	return paginate[T](ctx, q.MaxLen, func(ctx context.Context, max uint32, resume *uint32) (any, uint32, uint32, error) {
		return c.NetSessionEnum(ctx, q.ClientName, q.UserName, level, max, resume)
	})
}

// Connections iterates over the tree connects to a share or from a
// computer (q.Qualifier).
func Connections[T ConnectionInfo](ctx context.Context, c Server, q Query) iter.Seq2[T, error] {
	level := levelOf[T]()
	return paginate[T](ctx, q.MaxLen, func(ctx context.Context, max uint32, resume *uint32) (any, uint32, uint32, error) {
		return c.NetConnectionEnum(ctx, q.Qualifier, level, max, resume)
	})
}

// Files iterates over the server's open files.
func Files[T FileInfo](ctx context.Context, c Server, q Query) iter.Seq2[T, error] {
	level := levelOf[T]()
	return paginate[T](ctx, q.MaxLen, func(ctx context.Context, max uint32, resume *uint32) (any, uint32, uint32, error) {
		return c.NetFileEnum(ctx, q.BasePath, q.UserName, level, max, resume)
	})
}

// Shares iterates over the server's shares.
func Shares[T ShareInfo](ctx context.Context, c Server, q Query) iter.Seq2[T, error] {
	level := levelOf[T]()
	return paginate[T](ctx, q.MaxLen, func(ctx context.Context, max uint32, resume *uint32) (any, uint32, uint32, error) {
		return c.NetShareEnum(ctx, level, max, resume)
	})
}

// LoggedOn iterates over the users logged on to the server
// (NetWkstaUserEnum).
func LoggedOn[T WkstaUserInfo](ctx context.Context, c Server, q Query) iter.Seq2[T, error] {
	level := levelOf[T]()
	return paginate[T](ctx, q.MaxLen, func(ctx context.Context, max uint32, resume *uint32) (any, uint32, uint32, error) {
		return c.NetWkstaUserEnum(ctx, level, max, resume)
	})
}

// Collect gathers an iteration into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}
