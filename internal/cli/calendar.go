package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"redress/internal/calendar"
)

// activeCalendar returns the database's calendar when a database is
// configured or exists, otherwise the calendar shipped with redress.
func activeCalendar(ctx context.Context, env *Env, args []string, extra func(*flag.FlagSet)) (*calendar.Calendar, []string, error) {
	cfg, pos, err := loadConfig(env, "calendar", args, extra, "data-dir", "db", "log-level")
	if err != nil {
		return nil, nil, err
	}
	if _, statErr := os.Stat(filepath.Join(cfg.DataDir, "redress.db")); cfg.DB == "" && statErr != nil {
		return calendar.New(0, calendar.Official()), pos, nil
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	cal, err := st.Calendar(ctx)
	return cal, pos, err
}

func runCalendar(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError("usage: redress calendar show YEAR | redress calendar add YYYY-MM-DD N [--unit working|calendar]")
	}
	switch args[0] {
	case "show":
		cal, pos, err := activeCalendar(ctx, env, args[1:], nil)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageError("usage: redress calendar show YEAR")
		}
		y, err := strconv.Atoi(pos[0])
		if err != nil || y < 2000 || y > 2100 {
			return usageError("year %q must be between 2000 and 2100", pos[0])
		}
		if !cal.Covers(y) {
			return exitError{code: 1, msg: fmt.Sprintf("the calendar has no holiday arrangement for %d (revision %d): only weekends count as days off; an administrator adds it with PUT /api/v1/calendar/%d", y, cal.Revision(), y)}
		}
		fmt.Fprintf(env.Stdout, "%d holiday arrangement (calendar revision %d)\n", y, cal.Revision())
		fmt.Fprintln(env.Stdout, "Days off (放假):")
		for _, d := range cal.Days(y) {
			if d.Kind == calendar.Off {
				fmt.Fprintf(env.Stdout, "  %s %s  %s\n", d.Date, weekdayZH[d.Date.Weekday()], d.Note)
			}
		}
		fmt.Fprintln(env.Stdout, "Make-up working days (调休上班):")
		for _, d := range cal.Days(y) {
			if d.Kind == calendar.Work {
				fmt.Fprintf(env.Stdout, "  %s %s  %s\n", d.Date, weekdayZH[d.Date.Weekday()], d.Note)
			}
		}
		return nil
	case "add":
		unit := "calendar"
		cal, pos, err := activeCalendar(ctx, env, args[1:], func(fs *flag.FlagSet) {
			fs.StringVar(&unit, "unit", "calendar", "count calendar days or working days")
		})
		if err != nil {
			return err
		}
		if len(pos) != 2 {
			return usageError("usage: redress calendar add YYYY-MM-DD N [--unit working|calendar]")
		}
		start, err := calendar.ParseDate(pos[0])
		if err != nil {
			return usageError("%v", err)
		}
		n, err := strconv.Atoi(pos[1])
		if err != nil || n < 0 || n > 3660 {
			return usageError("N %q must be a whole number from 0 to 3660", pos[1])
		}
		u, err := calendar.ParseUnit(unit)
		if err != nil {
			return usageError("--unit: %v", err)
		}
		fmt.Fprintln(env.Stdout, cal.Add(start, n, u))
		return nil
	}
	return usageError("unknown calendar command %q: use show or add", args[0])
}

var weekdayZH = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}
