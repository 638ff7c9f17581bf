module github.com/lanman/lanman

go 1.24
