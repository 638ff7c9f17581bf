//go:build unix

package workstation

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lanman/lanman/dcerpc"
)

// ServiceConfig configures the Workstation service.
type ServiceConfig struct {
	// Dir is the socket directory; "" means SocketDir().
	Dir string
	// Redirector configures the table of uses.
	Redirector Config
	// Info is what NetrWkstaGetInfo reports.
	Info   WkstaInfo
	Logger *slog.Logger
}

// Service is the Workstation service: a Redirector served as MS-WKST (and
// lanman's control interface) on the user's socket.
type Service struct {
	r    *Redirector
	info WkstaInfo
	log  *slog.Logger

	stopOnce sync.Once
	stopped  chan struct{}
	wg       sync.WaitGroup
}

// NewService returns a service around a new Redirector.
func NewService(cfg ServiceConfig) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Redirector.Logger == nil {
		cfg.Redirector.Logger = cfg.Logger
	}
	info := cfg.Info
	if info.ComputerName == "" {
		h, _ := os.Hostname()
		h, _, _ = strings.Cut(h, ".")
		info.ComputerName = strings.ToUpper(h)
	}
	if info.LanGroup == "" {
		info.LanGroup = "WORKGROUP"
	}
	if info.VerMajor == 0 && info.VerMinor == 0 {
		info.VerMajor, info.VerMinor = 10, 0
	}
	return &Service{r: New(cfg.Redirector), info: info, log: cfg.Logger, stopped: make(chan struct{})}
}

// Redirector is the service's table of uses.
func (s *Service) Redirector() *Redirector { return s.r }

// Stop asks Serve to return; it does not wait.
func (s *Service) Stop() { s.stopOnce.Do(func() { close(s.stopped) }) }

// Serve accepts connections on l until ctx is done or Stop is called (by
// a caller or through the control interface). It then closes l, ends the
// open connections, and deletes every use with USE_LOTS_OF_FORCE, so the
// sessions are logged off.
func (s *Service) Serve(ctx context.Context, l *Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-ctx.Done():
		case <-s.stopped:
		}
		cancel()
		l.Close()
	}()
	var err error
	for {
		c, aerr := l.Accept()
		if aerr != nil {
			if ctx.Err() == nil {
				err = aerr
			}
			break
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(ctx, c)
		}()
	}
	s.wg.Wait()
	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	s.r.Close(cctx)
	return err
}

// serveConn runs one client's association. Each connection has its own
// control handler, so the files it opened are closed when it goes.
func (s *Service) serveConn(ctx context.Context, c net.Conn) {
	ctl := newControlHandler(s.r, s.Stop)
	srv := &dcerpc.Server{Logger: s.log}
	srv.Register(WkstSyntax, (&wkstHandler{r: s.r, info: s.info}).table())
	srv.Register(ControlSyntax, ctl.table())
	if err := srv.Serve(ctx, c); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Debug("workstation: connection ended", "err", err)
	}
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	ctl.closeAll(cctx)
	cancel()
}

// ListenAndServe listens on the user's socket and serves until ctx is done
// or the service is stopped. It returns ErrAlreadyRunning when another
// service of the user runs.
func ListenAndServe(ctx context.Context, cfg ServiceConfig) error {
	l, err := Listen(cfg.Dir, cfg.Logger)
	if err != nil {
		return err
	}
	return NewService(cfg).Serve(ctx, l)
}
