// Command redress takes in petitions and complaints and follows them to resolution.
package main

import (
	"context"
	"os"

	"golang.org/x/term"

	"redress/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], &cli.Env{
		Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin,
		IsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
	}))
}
