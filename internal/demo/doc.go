// Package demo produces the demonstration data set for the first
// deployment, 葫芦岛市 (Huludao, GB/T 2260 code 211400): the unit tree with
// heads, a set of demo users, and a year of realistic petitions (信访件) and
// 12345 hotline tickets with a plan for how far each one has travelled
// through the statutory workflow.
//
// Everything here is pure Go and deterministic: the same arguments always
// give the same data, and nothing touches a database. A loader elsewhere
// turns the data into records by driving the real workflow.
//
// All people, companies, estates and events are invented. Place names of
// districts, counties, towns and streets are used only to make the data look
// local.
package demo
