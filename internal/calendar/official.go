package calendar

import "time"

// Official returns the State Council's published holiday arrangements that
// ship with redress: 2025 (国办发明电〔2024〕12号) and 2026. An administrator
// adds later years as new calendar revisions.
func Official() []Day {
	var days []Day
	off := func(y int, m time.Month, from, to int, note string) {
		for d := from; d <= to; d++ {
			days = append(days, Day{Date: NewDate(y, m, d), Kind: Off, Note: note})
		}
	}
	work := func(y int, m time.Month, d int, note string) {
		days = append(days, Day{Date: NewDate(y, m, d), Kind: Work, Note: note})
	}

	// 2025
	off(2025, time.January, 1, 1, "元旦")
	off(2025, time.January, 28, 31, "春节")
	off(2025, time.February, 1, 4, "春节")
	work(2025, time.January, 26, "春节调休上班")
	work(2025, time.February, 8, "春节调休上班")
	off(2025, time.April, 4, 6, "清明节")
	off(2025, time.May, 1, 5, "劳动节")
	work(2025, time.April, 27, "劳动节调休上班")
	off(2025, time.May, 31, 31, "端午节")
	off(2025, time.June, 1, 2, "端午节")
	off(2025, time.October, 1, 8, "国庆节、中秋节")
	work(2025, time.September, 28, "国庆节调休上班")
	work(2025, time.October, 11, "国庆节调休上班")

	// 2026
	off(2026, time.January, 1, 3, "元旦")
	work(2026, time.January, 4, "元旦调休上班")
	off(2026, time.February, 15, 23, "春节")
	work(2026, time.February, 14, "春节调休上班")
	work(2026, time.February, 28, "春节调休上班")
	off(2026, time.April, 4, 6, "清明节")
	off(2026, time.May, 1, 5, "劳动节")
	work(2026, time.May, 9, "劳动节调休上班")
	off(2026, time.June, 19, 21, "端午节")
	off(2026, time.September, 25, 27, "中秋节")
	work(2026, time.September, 20, "中秋节调休上班")
	off(2026, time.October, 1, 7, "国庆节")
	work(2026, time.October, 10, "国庆节调休上班")
	return days
}
