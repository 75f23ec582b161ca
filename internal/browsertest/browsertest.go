// Package browsertest holds the waits that the Chromium tests of the staff
// UI and of the portal share. They poll the page with a script instead of
// using chromedp's WaitVisible, whose DOM tracking can lose a page that is
// replaced while it waits (a click that submits a form and navigates), and
// then waits forever.
package browsertest

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Until is an action that waits until the script expr is true on the page.
// It polls in short rounds, so a round lost to a navigation is followed by
// another on the new page; it ends when expr is true or ctx ends.
func Until(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		var last error
		for {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			ok, err := chromedp.Run(rctx, chromedp.Poll[bool](expr,
				chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(4*time.Second)))
			cancel()
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			if err != nil {
				last = err
			}
			if ctx.Err() != nil {
				return chromedp.Void{}, fmt.Errorf("wait for %s: %w (last round: %v)", expr, ctx.Err(), last)
			}
		}
	}
}

// Visible is an action that waits until the first element that the CSS
// selector sel matches is on the page and shown.
func Visible(sel string) chromedp.Action[chromedp.Void] {
	return Until(VisibleExpr(sel))
}

// VisibleExpr is the script that Visible polls.
func VisibleExpr(sel string) string {
	return fmt.Sprintf("(function(){var e=document.querySelector(%q);return !!e && !!(e.offsetWidth||e.offsetHeight||e.getClientRects().length);})()", sel)
}
