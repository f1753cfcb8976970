from django.shortcuts import render


def policy_list(request):
    return render(request, "home.html")
