from mitra.interfaces.cli.app import main

main()
