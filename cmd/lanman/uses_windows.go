package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/lanman/lanman/netapi"
	"github.com/lanman/lanman/wkst"
	"github.com/lanman/lanman/workstation"
)

// On Windows the uses are LanmanWorkstation's, reached through netapi32.
func openUses(context.Context, *env, bool) (uses, error) { return netapiUses{}, nil }

type netapiUses struct{}

func (netapiUses) UseAdd(ctx context.Context, p workstation.UseParams) error {
	i := &netapi.UseInfo2{UseInfo1: wkst.UseInfo1{Local: p.Local, Remote: p.Remote, AsgType: p.AsgType}}
	if p.Creds != nil {
		i.UserName, i.DomainName, i.Password = &p.Creds.User, &p.Creds.Domain, &p.Creds.Password
	}
	parm, err := netapi.NetUseAdd(ctx, "", i)
	if errors.Is(err, netapi.ERROR_INVALID_PARAMETER) {
		return fmt.Errorf("%w (parameter %d)", err, parm)
	}
	return err
}

func (netapiUses) UseDel(ctx context.Context, name string, force uint32) error {
	return netapi.NetUseDel(ctx, "", name, force)
}

func (netapiUses) UseEnum(ctx context.Context, prefMax uint32) ([]wkst.UseInfo2, error) {
	if prefMax == 0 {
		prefMax = netapi.MAX_PREFERRED_LENGTH
	}
	var out []wkst.UseInfo2
	var resume uint32
	for {
		buf, _, _, err := netapi.NetUseEnum(ctx, "", 2, prefMax, &resume)
		page, _ := buf.([]wkst.UseInfo2)
		out = append(out, page...)
		if !errors.Is(err, netapi.ERROR_MORE_DATA) {
			return out, err
		}
		if len(page) == 0 {
			return out, netapi.ErrNoProgress
		}
	}
}

func (netapiUses) Close() error { return nil }
