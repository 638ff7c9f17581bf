//go:build unix

package main

import "context"

// openUses connects to the user's Workstation service, starting it first
// when start is set and none runs.
func openUses(ctx context.Context, e *env, start bool) (uses, error) {
	c, err := dialService(ctx, e, start)
	if err != nil {
		return nil, err
	}
	return c, nil
}
