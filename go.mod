module redress

go 1.26.8
